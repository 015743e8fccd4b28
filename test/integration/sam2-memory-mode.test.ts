// Memory modes on real onnxruntime sessions (micro pack): the mode's session options are the ones
// onnxruntime-node receives for every graph, lean prefers the fused attention where the pack has
// it, lean's budgets are the ones the engine keeps, and lean tracks exactly like fast — bit for bit
// when both run the same graphs, at the goldens' parity level when lean runs the fused variant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { featureBudgetFor, type MemoryMode } from '../../src-main/core/sam2/memory-mode';
import { loadPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { createSessions } from '../../src-main/core/sam2/sessions';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { compareWithGolden, iou, runScenario, type ScenarioRun } from '../fixtures/sam2-micro/scenarios';
import { variantPack } from '../helpers/variant-packs';

const g = loadGolden();
const tmp = mkdtempSync(join(tmpdir(), 'maskline-memory-mode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('what reaches onnxruntime', () => {
  test.each([
    { memory: 'fast', arena: true, attention: 'plain' },
    { memory: 'lean', arena: false, attention: 'fused' },
  ] as const)('$memory: enableCpuMemArena $arena and enableMemPattern true for every graph, $attention attention', async ({ memory, arena, attention }) => {
    // a pack as the exporter writes it: plain attention by default, the fused one under variants/
    const pack = await loadPack(variantPack(join(tmp, `both-${memory}`), 'plain'));
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const s = await createSessions(pack, { provider: 'cpu', threads: 1, memory });
    try {
      expect(s.memory).toEqual({ mode: memory, reason: `${memory} was asked for` });
      expect(s.attention).toBe(attention);
      const calls = create.mock.calls.map(([path, opts]) => ({ path: String(path), opts: opts as ort.InferenceSession.SessionOptions }));
      expect(calls).toHaveLength(4);
      for (const c of calls) {
        expect(c.opts.enableCpuMemArena).toBe(arena);
        expect(c.opts.enableMemPattern).toBe(true);
      }
      expect(
        calls.some((c) => c.path.endsWith(attention === 'fused' ? join('variants', 'memory_attention.fused.onnx') : join(pack.dir, 'memory_attention.onnx'))),
      ).toBe(true);
    } finally {
      await s.release();
    }
  });

  test('auto: fast on a machine with memory to spare, lean on one without (the chooser, with the pack and provider)', async () => {
    const pack = await loadPack(MICRO_PACK_DIR);
    for (const [totalMemory, mode] of [
      [64 * 2 ** 30, 'fast'],
      [2 ** 20, 'lean'],
    ] as const) {
      const s = await createSessions(pack, { provider: 'cpu', threads: 1, totalMemory });
      try {
        expect(s.memory.mode).toBe(mode);
      } finally {
        await s.release();
      }
    }
  });
});

/** S1 (a click and a box on frame 0, forward over the 24 frames) in a memory mode; strict: the reference's S×S frames. */
async function s1(
  memory: MemoryMode,
  packDir: string,
  strict: boolean,
): Promise<{ run: ScenarioRun; stats: ReturnType<Sam2VideoPredictor['stats']>; budget: number }> {
  const pack = await loadPack(packDir);
  const p = await Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, strict)), { provider: 'cpu', threads: 2, fillHoleArea: 0, memory });
  try {
    const run = await runScenario(p, g, 'S1', strict);
    return { run, stats: p.stats(), budget: featureBudgetFor(memory, pack.manifest, 4) };
  } finally {
    await p.dispose();
  }
}

describe('lean tracks like fast', () => {
  test('same graphs (the micro pack has no fused variant): identical logits, scores and masks; lean’s smaller budgets in force', async () => {
    const fast = await s1('fast', MICRO_PACK_DIR, false);
    const lean = await s1('lean', MICRO_PACK_DIR, false);
    expect([fast.stats.memory.mode, lean.stats.memory.mode]).toEqual(['fast', 'lean']);
    expect([fast.stats.attention, lean.stats.attention]).toEqual(['plain', 'plain']);
    // both modes run the image encoder's attention fused on the CPU (encoder-graph.ts)
    expect([fast.stats.encoderAttention, lean.stats.encoderAttention]).toEqual(['fused', 'fused']);
    expect(fast.stats.featureCache.budget).toBe(fast.budget);
    expect(lean.stats.featureCache.budget).toBe(lean.budget);
    expect(lean.budget).toBeLessThan(fast.budget);
    expect(lean.run.frames).toHaveLength(24);
    expect(lean.run.frames).toEqual(fast.run.frames);
    expect(lean.run.scores).toEqual(fast.run.scores);
    lean.run.lowRes.forEach((row, i) =>
      row.forEach((l, k) => {
        expect(
          Buffer.from(l.buffer, l.byteOffset, l.byteLength).equals(
            Buffer.from(fast.run.lowRes[i]![k]!.buffer, fast.run.lowRes[i]![k]!.byteOffset, l.byteLength),
          ),
        ).toBe(true);
        expect(Buffer.from(lean.run.masks[i]![k]!).equals(Buffer.from(fast.run.masks[i]![k]!))).toBe(true);
      }),
    );
  });

  test('a pack with the fused variant: lean runs it, at parity with the goldens and with fast', async () => {
    const dir = variantPack(join(tmp, 'parity'), 'plain');
    const fast = await s1('fast', dir, true);
    const lean = await s1('lean', dir, true);
    expect([fast.stats.attention, lean.stats.attention]).toEqual(['plain', 'fused']);
    const c = compareWithGolden(lean.run, g, 'S1');
    console.log(`lean (fused attention), strict S1: max|Δlogit| ${c.maxAbs.toExponential(2)}, min IoU low-res ${c.minIouLowRes.toFixed(5)}`);
    expect(c.signsAgree).toBe(true);
    expect(c.maxAbs).toBeLessThanOrEqual(3e-4);
    expect(c.minIouLowRes).toBeGreaterThanOrEqual(0.9995);
    let maxAbs = 0;
    let minIou = 1;
    lean.run.lowRes.forEach((row, i) =>
      row.forEach((l, k) => {
        const f = fast.run.lowRes[i]![k]!;
        for (let j = 0; j < l.length; j++) maxAbs = Math.max(maxAbs, Math.abs(l[j]! - f[j]!));
        minIou = Math.min(minIou, iou(l, f));
      }),
    );
    console.log(`lean vs fast, strict S1: max|Δlogit| ${maxAbs.toExponential(2)}, min IoU low-res ${minIou.toFixed(5)}`);
    expect(maxAbs).toBeLessThanOrEqual(3e-4);
    expect(minIou).toBeGreaterThanOrEqual(0.9995);
  });
});
