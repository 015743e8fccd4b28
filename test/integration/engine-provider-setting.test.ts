// The provider setting through the services (engine.setProvider): kept in <data>/provider.json,
// the engine reopens with it, a provider this machine lacks fails with the reason and loses
// nothing, switching back works, and bad values are refused.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus, FrameMasks } from '../../src-main/api/contract';
import { readProviderSetting, writeProviderSetting } from '../../src-main/services/provider-setting';
import { harness, squareAt } from './workflow-harness';

const h = harness('maskline-provider-setting-');
const clip = h.video('clip.mp4', 6);
afterAll(() => h.cleanup());

describe('engine.setProvider', () => {
  it('applies, persists, reports the failure of an unavailable provider, and switches back', async () => {
    const x = h.services('setting');
    await x.openReady(clip);
    expect(x.s.engine.status()).toMatchObject({ state: 'ready', providerChoice: 'cpu', attention: 'plain' });
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });

    const other = process.platform === 'darwin' ? 'dml' : 'coreml';
    const failed = await x.call<EngineStatus>('engine.setProvider', { provider: other });
    expect(failed).toMatchObject({ state: 'failed', providerChoice: other });
    expect(failed.error).toMatch(new RegExp(`the ${other} provider cannot be used here: (CoreML exists on macOS only|DirectML exists on Windows only)`));
    expect(JSON.parse(readFileSync(join(x.dataDir, 'provider.json'), 'utf8'))).toEqual({ provider: other });
    expect((await x.fail('prompts.add', { objectId: 1, frame: 1, points: [squareAt(1)], labels: [1] })).code).toBe('ENGINE_FAILED');

    const back = await x.call<EngineStatus>('engine.setProvider', { provider: 'cpu' });
    expect(back).toMatchObject({
      state: 'ready',
      providerChoice: 'cpu',
      providers: { image_encoder: 'cpu', mask_decoder: 'cpu', memory_encoder: 'cpu', memory_attention: 'cpu' },
    });
    expect(readProviderSetting(x.dataDir)).toBe('cpu');
    // the engine was rebuilt from the database: the earlier prompt is still there
    const masks = await x.call<FrameMasks>('masks.frame', { frame: 0 });
    expect(masks.masks.map((m) => m.objectId)).toEqual([1]);

    expect((await x.fail('engine.setProvider', { provider: 'tpu' })).code).toBe('BAD_ARGS');
    await x.s.shutdown();
  });

  it('provider.json: missing, damaged or unknown content reads as not set', () => {
    const dir = join(h.root, 'files');
    expect(readProviderSetting(join(dir, 'none'))).toBeNull();
    writeProviderSetting(h.root, 'webgpu');
    expect(readProviderSetting(h.root)).toBe('webgpu');
    for (const text of ['{', '{"provider":"tpu"}', '[]', 'null']) {
      writeFileSync(join(h.root, 'provider.json'), text);
      expect(readProviderSetting(h.root)).toBeNull();
    }
  });
});
