// `maskline doctor` as a user runs it (built CLI): a working machine with the micro pack, and each
// problem it can be made to report for real — no pack, a provider asked for that this machine
// lacks, a data folder that cannot be written. (ffmpeg missing: test/unit/cli/doctor-report.test.ts;
// the npm-shipped binaries cannot be hidden from a real run.)
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, REPO_ROOT } from '../fixtures/sam2-micro/build';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { tempDir } from '../helpers/make-video';

const run = promisify(execFile);
const tmp = tempDir('maskline-doctor-');

async function doctor(args: string[], dataDir = join(tmp.dir, 'data')): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', [join(REPO_ROOT, 'resources/bin/maskline.mjs'), 'doctor', ...args], {
      timeout: 240_000,
      env: { ...process.env, MASKLINE_DATA_DIR: dataDir, MASKLINE_MODELS: '' },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

beforeAll(() => ensureBuilt());
afterAll(() => tmp.cleanup());

describe('maskline doctor', () => {
  test('a working machine: exit 0, platform, tools, data folder, a timing per graph on the CPU', async () => {
    const r = await doctor(['--model', MICRO_PACK_DIR, '--provider', 'cpu', '--threads', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`platform\\s+${process.platform}-${process.arch}, Node`));
    expect(r.stdout).toMatch(/ffmpeg\s+\S+ \(\//);
    expect(r.stdout).toMatch(/data folder\s+.*writable/);
    expect(r.stdout).toMatch(/model pack\s+SAM 2.1 micro/);
    expect(r.stdout).toMatch(/cpu\s+works \(image encoder attention: fused, memory attention: plain\)/);
    for (const g of ['image_encoder', 'mask_decoder', 'memory_encoder', 'memory_attention'])
      expect(r.stdout).toMatch(new RegExp(`${g}\\s+first\\s+[\\d.]+ m?s`));
    expect(r.stdout).toMatch(/^ok: /m);
  });

  test('no model pack: exit 1 and says so', async () => {
    const r = await doctor(['--provider', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- No usable model pack: No model pack is installed/);
  });

  test('a pack folder that is not a pack: exit 1 with the loader message', async () => {
    const r = await doctor(['--model', join(tmp.dir, 'nowhere'), '--provider', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- No usable model pack: model pack folder not found/);
  });

  test.skipIf(process.platform === 'darwin')('a provider asked for that this machine lacks: exit 1 with the reason', async () => {
    const r = await doctor(['--model', MICRO_PACK_DIR, '--provider', 'coreml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/coreml\s+not available: CoreML exists on macOS only/);
    expect(r.stderr).toMatch(/- The coreml provider was asked for but cannot be used here: CoreML exists on macOS only/);
  });

  test('a data folder that cannot be written: exit 1 naming it', async () => {
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const r = await doctor(['--model', MICRO_PACK_DIR, '--provider', 'cpu', '--threads', '2'], join(file, 'data'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- The data folder .*a-file\/data is not writable \(ENOTDIR\)/);
  });

  test('usage errors exit 2', async () => {
    const r = await doctor(['--provider', 'tpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--provider must be cpu, cuda, webgpu, dml, coreml or auto/);
  });
});
