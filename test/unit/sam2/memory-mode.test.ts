// The memory mode's pure decisions as tables: which mode a pack gets on a machine and provider,
// what each mode sets per session, and the budgets each mode sizes from a pack.
import { describe, expect, test } from 'vitest';
import {
  chooseMemoryMode,
  fastResidentEstimate,
  featureBudgetFor,
  fullBankScoreBytes,
  GLIBC_MMAP_TUNABLE,
  isMemoryChoice,
  mallocAdvice,
  memoryPlan,
  outputBudgetFor,
  type MemoryChoice,
  type MemoryMode,
} from '../../../src-main/core/sam2/memory-mode';
import { defaultFeatureBudget, defaultOutputBudget } from '../../../src-main/core/sam2/preencode-plan';
import type { ProviderName } from '../../../src-main/core/sam2/provider-plan';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
// the fixture packs' shapes (model.json): micro, SAM 2.1 hiera-tiny, EdgeTAM (512 memory tokens, float32 memories)
const micro = { featSize: 16, hiddenDim: 128, memDim: 64, numMaskmem: 7, memoryTokensPerFrame: 256, maxObjPtrsInEncoder: 16, memoryBf16: true };
const tiny = { featSize: 64, hiddenDim: 256, memDim: 64, numMaskmem: 7, memoryTokensPerFrame: 4096, maxObjPtrsInEncoder: 16, memoryBf16: true };
const edgetam = { featSize: 64, hiddenDim: 256, memDim: 64, numMaskmem: 7, memoryTokensPerFrame: 512, maxObjPtrsInEncoder: 16, memoryBf16: false };

describe('fullBankScoreBytes: one object’s attention scores over a full bank (hw × (num_maskmem·T + pointer tokens) × 4 B)', () => {
  test.each([
    ['micro', micro, 4 * 256 * (7 * 256 + 16 * 2)],
    ['hiera-tiny shapes: 471 MB', tiny, 4 * 4096 * (7 * 4096 + 16 * 4)],
    ['EdgeTAM shapes', edgetam, 4 * 4096 * (7 * 512 + 16 * 4)],
  ])('%s', (_n, m, want) => {
    expect(fullBankScoreBytes(m)).toBe(want);
  });
  test('fast mode is estimated at 8× the scores (measured 8.1× on the hiera-tiny shapes)', () => {
    expect(fastResidentEstimate(tiny)).toBe(8 * 4 * 4096 * 28736);
    expect(fastResidentEstimate(tiny) / GiB).toBeCloseTo(3.51, 2);
  });
});

describe('chooseMemoryMode: asked for, else fast on a GPU provider, else fast when its estimate fits a quarter of the machine', () => {
  const tinyFast = fastResidentEstimate(tiny); // 3.5 GiB
  test.each<[string, MemoryChoice, ProviderName, number, number, MemoryMode]>([
    ['lean asked for, big machine', 'lean', 'cpu', 64 * GiB, tinyFast, 'lean'],
    ['fast asked for, small machine', 'fast', 'cpu', 4 * GiB, tinyFast, 'fast'],
    ['auto, CPU, 16 GiB: tiny fits a quarter', 'auto', 'cpu', 16 * GiB, tinyFast, 'fast'],
    ['auto, CPU, 8 GiB: tiny does not', 'auto', 'cpu', 8 * GiB, tinyFast, 'lean'],
    ['auto, CPU, exactly four times the estimate', 'auto', 'cpu', 4 * tinyFast, tinyFast, 'fast'],
    ['auto, CPU, one byte less', 'auto', 'cpu', 4 * tinyFast - 4, tinyFast, 'lean'],
    ['auto, CPU, 8 GiB, EdgeTAM shapes', 'auto', 'cpu', 8 * GiB, fastResidentEstimate(edgetam), 'fast'],
    ['auto, CPU, 2 GiB, micro', 'auto', 'cpu', 2 * GiB, fastResidentEstimate(micro), 'fast'],
    ['auto, CUDA, 4 GiB: activations on the device', 'auto', 'cuda', 4 * GiB, tinyFast, 'fast'],
    ['auto, WebGPU, 4 GiB', 'auto', 'webgpu', 4 * GiB, tinyFast, 'fast'],
    ['lean asked for on CUDA', 'lean', 'cuda', 64 * GiB, tinyFast, 'lean'],
  ])('%s → %s', (_n, choice, provider, totalMemoryBytes, fastBytes, want) => {
    const r = chooseMemoryMode({ choice, provider, totalMemoryBytes, fastBytes });
    expect(r.mode).toBe(want);
    expect(r.reason.length).toBeGreaterThan(0);
  });
  test('the reason names the estimate and the machine', () => {
    expect(chooseMemoryMode({ choice: 'auto', provider: 'cpu', totalMemoryBytes: 8 * GiB, fastBytes: tinyFast }).reason).toBe(
      "fast would need ~3.5 GiB, more than a quarter of this machine's 8.0 GiB",
    );
  });
});

describe('memoryPlan: what each mode sets', () => {
  test('fast: onnxruntime’s defaults in every session, the pack’s attention order, 3 GiB of attention matrices per call', () => {
    const p = memoryPlan('fast');
    for (const g of Object.values(p.graphs)) expect(g).toEqual({ arena: true, memPattern: true });
    expect(p.preferAttention).toBeNull();
    expect(p.attentionBytes).toBe(3 * GiB);
  });
  test('lean: no arena (memory pattern kept) in every session, fused attention first, one object per attention call', () => {
    const p = memoryPlan('lean');
    expect(Object.keys(p.graphs).sort()).toEqual(['image_encoder', 'mask_decoder', 'memory_attention', 'memory_encoder']);
    for (const g of Object.values(p.graphs)) expect(g).toEqual({ arena: false, memPattern: true });
    expect(p.preferAttention).toBe('fused');
    expect(p.attentionBytes).toBe(0);
  });
});

describe('budgets per mode', () => {
  test.each([
    ['fast, window ±4: as before (window + memory bank + 3 spare)', 'fast', 4, defaultFeatureBudget(tiny, 4)],
    ['fast, no window (maskline track)', 'fast', 0, defaultFeatureBudget(tiny, 0)],
    ['lean, window ±4: window + 1 spare', 'lean', 4, 16 * MiB * (9 + 1)],
    ['lean, no window (maskline track): the frame being tracked + 1 spare', 'lean', 0, 16 * MiB * 2],
  ] as const)('features: %s', (_n, mode, window, want) => {
    expect(featureBudgetFor(mode, tiny, window)).toBe(want);
  });
  test.each([
    ['fast, 2 objects: as before', 'fast', 2, defaultOutputBudget(tiny, 2)],
    ['lean, 2 objects: num_maskmem frames each', 'lean', 2, 2 * 7 * (256 * 256 * 4 + 64 * 64 * 64 * 2)],
    ['lean, 0 objects counts as one', 'lean', 0, 7 * (256 * 256 * 4 + 64 * 64 * 64 * 2)],
  ] as const)('outputs: %s', (_n, mode, objects, want) => {
    expect(outputBudgetFor(mode, tiny, objects)).toBe(want);
  });
  test('lean never keeps more than fast', () => {
    for (const m of [micro, tiny, edgetam]) {
      for (const w of [0, 1, 4, 16]) expect(featureBudgetFor('lean', m, w)).toBeLessThan(featureBudgetFor('fast', m, w));
      for (const n of [1, 2, 16]) expect(outputBudgetFor('lean', m, n)).toBeLessThan(outputBudgetFor('fast', m, n));
    }
  });
});

test('isMemoryChoice', () => {
  expect(['auto', 'fast', 'lean'].every(isMemoryChoice)).toBe(true);
  expect([undefined, 'Lean', 'small', 1].some(isMemoryChoice)).toBe(false);
});

describe('mallocAdvice: lean on Linux without a fixed glibc mmap threshold says how to start the process', () => {
  test.each<[string, MemoryMode, string | undefined, boolean]>([
    ['linux', 'lean', undefined, true],
    ['linux', 'lean', 'glibc.malloc.arena_max=2', true],
    ['linux', 'lean', GLIBC_MMAP_TUNABLE, false],
    ['linux', 'lean', 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=4194304', false],
    ['linux', 'fast', undefined, false],
    ['darwin', 'lean', undefined, false],
    ['win32', 'lean', undefined, false],
  ])('%s, %s, GLIBC_TUNABLES=%s → advice %s', (platform, mode, env, want) => {
    const a = mallocAdvice(platform, mode, env);
    expect(a !== null).toBe(want);
    if (a) expect(a).toContain(`GLIBC_TUNABLES=${GLIBC_MMAP_TUNABLE}`);
  });
});
