// Memory-attention variants per provider on the CPU: the fused rewrite of the micro pack is
// proven at parity on the CPU (so the CPU may run either), the engine picks the pack's default
// where it is proven, uses a listed variant, and refuses what is not proven. WebGPU × variant:
// sam2-webgpu-parity.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { createSessions } from '../../src-main/core/sam2/sessions';
import { goldenFrames, loadGolden } from '../fixtures/sam2-micro/golden';
import { compareWithGolden, runScenario } from '../fixtures/sam2-micro/scenarios';
import { variantPack } from '../helpers/variant-packs';
import { noVulkanReason } from '../helpers/vulkan';

const tmp = mkdtempSync(join(tmpdir(), 'maskline-variants-'));
const g = loadGolden();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('attention variants', () => {
  test('the fused rewrite is at parity with the goldens on the CPU (S1 and S3 strict)', async () => {
    const pack = await loadPack(variantPack(join(tmp, 'fused-only'), 'fused', false));
    const p = await Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, true)), { provider: 'cpu', threads: 2, fillHoleArea: 0 });
    try {
      expect(p.stats().attention).toBe('fused');
      for (const name of ['S1', 'S3'] as const) {
        p.reset();
        const c = compareWithGolden(await runScenario(p, g, name, true), g, name);
        console.log(`fused attention on cpu, strict ${name}: max|Δlogit| ${c.maxAbs.toExponential(2)}, min IoU low-res ${c.minIouLowRes.toFixed(5)}`);
        expect(c.signsAgree).toBe(true);
        expect(c.maxAbs).toBeLessThanOrEqual(1e-3);
        expect(c.minIouLowRes).toBeGreaterThanOrEqual(0.999);
      }
    } finally {
      await p.dispose();
    }
  });

  test.each([
    { main: 'plain', variant: true, provider: 'cpu', attention: 'plain' },
    { main: 'fused', variant: true, provider: 'cpu', attention: 'fused' },
    { main: 'fused', variant: false, provider: 'cpu', attention: 'fused' },
  ] as const)('default $main (variant listed: $variant) on $provider runs $attention', async ({ main, variant, provider, attention }) => {
    const pack = await loadPack(variantPack(join(tmp, `${main}-${variant}-${provider}`), main, variant));
    const s = await createSessions(pack, { provider, threads: 1 });
    try {
      expect(s.attention).toBe(attention);
      expect(s.providers.memory_attention).toBe(provider);
    } finally {
      await s.release();
    }
  });

  test('a provider with no proven variant in the pack falls back (auto) or fails (asked for) with the reason', async () => {
    const pack = await loadPack(variantPack(join(tmp, 'fused-alone'), 'fused', false));
    // auto as on a machine with a GPU: WebGPU first; memory attention passes it over for the CPU
    const facts = { unavailable: { cuda: 'none', dml: 'none', coreml: 'none' }, notForAuto: {}, platform: 'linux' };
    if (noVulkanReason() === null) {
      const s = await createSessions(pack, { provider: 'auto', threads: 1, ...facts });
      await s.release();
      expect(s.providers.image_encoder).toBe('webgpu');
      expect(s.providers.memory_attention).toBe('cpu');
      expect(s.attention).toBe('fused');
      expect(s.fallbacks).toContainEqual({
        graph: 'memory_attention',
        provider: 'webgpu',
        message: "the pack's memory attention is fused, and only plain is proven on webgpu",
      });
      expect(s.fallbackReason).toMatch(/memory_attention: webgpu not used \(the pack's memory attention is fused/);
    }
    await expect(createSessions(pack, { provider: 'webgpu', threads: 1, ...facts })).rejects.toThrow(
      /memory_attention.onnx could not be loaded with the webgpu provider: the pack's memory attention is fused, and only plain is proven on webgpu/,
    );
  });

  test('a variant file that model.json does not list is not used', async () => {
    const dir = variantPack(join(tmp, 'unlisted'), 'fused', true);
    const { writeFileSync, readFileSync } = await import('node:fs');
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete m.files['variants/memory_attention.plain.onnx'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(m));
    await expect(createSessions(await loadPack(dir), { provider: 'webgpu', threads: 1, unavailable: {}, platform: 'linux' })).rejects.toThrow(
      /only plain is proven on webgpu/,
    );
  });
});
