// The speed of a pack measured here, kept per pack and provider (core/models/pack-speed.ts): a
// provider's figure survives another provider's measurement, a changed pack is measured again.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { PackSpeed } from '../../../src-main/api/contract';
import { PackSpeedStore } from '../../../src-main/core/models/pack-speed';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function pack(): { dir: string; store: PackSpeedStore } {
  const dir = mkdtempSync(join(tmpdir(), 'maskline-speed-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ files: { 'a.onnx': {} } }));
  writeFileSync(join(dir, 'a.onnx'), 'graph');
  return { dir, store: new PackSpeedStore(join(dir, '.pack-speed.json')) };
}

const speed = (provider: string, ms: number): PackSpeed => ({ msPerFrame: ms, graphs: { image_encoder: ms / 2 }, provider, threads: 2, measuredAt: '2025-01-01T00:00:00.000Z', amgBatchMs: ms / 10, amgBatch: 64 });

describe('PackSpeedStore', () => {
  test('per provider: the latest without one, each provider its own', () => {
    const { dir, store } = pack();
    expect(store.get(dir)).toBeNull();
    store.set(dir, speed('cpu', 1000));
    store.set(dir, speed('cuda', 50));
    expect(store.get(dir)).toEqual(speed('cuda', 50));
    expect(store.get(dir, 'cpu')).toEqual(speed('cpu', 1000));
    expect(store.get(dir, 'cuda')).toEqual(speed('cuda', 50));
    expect(store.get(dir, 'webgpu')).toBeNull();
  });

  test('a changed pack forgets every provider\'s figure', () => {
    const { dir, store } = pack();
    store.set(dir, speed('cpu', 1000));
    utimesSync(join(dir, 'a.onnx'), new Date(), new Date(Date.now() + 5000));
    expect(store.get(dir, 'cpu')).toBeNull();
    store.set(dir, speed('cuda', 50));
    expect(store.get(dir, 'cpu')).toBeNull();
    expect(store.get(dir, 'cuda')).toEqual(speed('cuda', 50));
  });

  test('a figure stored before figures were kept per provider still answers for its provider', () => {
    const { dir, store } = pack();
    store.set(dir, speed('cpu', 1000));
    const file = join(dir, '.pack-speed.json');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    delete raw[dir].byProvider;
    writeFileSync(file, JSON.stringify(raw));
    expect(store.get(dir, 'cpu')).toEqual(speed('cpu', 1000));
    expect(store.get(dir, 'cuda')).toBeNull();
  });
});
