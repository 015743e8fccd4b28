// Predictor semantics on the micro pack and the golden video: corrections stay conditioning
// frames, objects are independent, remove/clear/reverse/maxFrames/P=0/cancel, candidates, mask
// prompts, and bad input that leaves the state untouched.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor, type PropagateOptions, type PropagatedFrame } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { iou } from '../fixtures/sam2-micro/scenarios';

const g = loadGolden();
let pack: ModelPack;
const open: Sam2VideoPredictor[] = [];

beforeAll(async () => {
  pack = await loadPack(MICRO_PACK_DIR);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.dispose()));
});

async function predictor(frames = g.T): Promise<Sam2VideoPredictor> {
  const p = await Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, false).slice(0, frames)), { provider: 'cpu', threads: 2 });
  open.push(p);
  return p;
}

async function collect(p: Sam2VideoPredictor, opts: PropagateOptions = {}): Promise<PropagatedFrame[]> {
  const out: PropagatedFrame[] = [];
  for await (const f of p.propagate({ lowRes: true, ...opts })) out.push(f);
  return out;
}

const disc = { points: [[40, 90]] as [number, number][], labels: [1] };
const squareBox = { points: [] as [number, number][], labels: [], box: [137, 2, 183, 48] as [number, number, number, number] };
const lowRes = (fr: { objects: { objId: number; lowRes?: Float32Array }[] }, id: number) => fr.objects.find((o) => o.objId === id)!.lowRes!;
const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('corrections', () => {
  test('a correction on a tracked frame becomes a conditioning frame that later propagation keeps', async () => {
    const p = await predictor(16);
    await p.addPoints(0, 1, disc);
    const first = await collect(p);
    const corr = await p.addPoints(
      12,
      1,
      {
        points: [
          [154, 90],
          [166, 138],
        ],
        labels: [1, 0],
      },
      { lowRes: true },
    );
    const corrected = lowRes(corr, 1);
    expect(maxAbs(corrected, lowRes(first[12]!, 1))).toBeGreaterThan(0.1);
    expect(p.promptedFrames(1)).toEqual([0, 12]);
    const second = await collect(p);
    const at12 = second.find((f) => f.frame === 12)!;
    expect(at12.objects[0]!.isCond).toBe(true);
    expect(Array.from(lowRes(at12, 1))).toEqual(Array.from(corrected));
    // every tracked frame now attends to the new conditioning frame (future ones too, as the reference)
    expect(maxAbs(lowRes(second[13]!, 1), lowRes(first[13]!, 1))).toBeGreaterThan(0);
    expect(second[13]!.objects[0]!.isCond).toBe(false);
  });

  test('a second click on a prompted frame refines with the previous logits; clearOld=false keeps the first click', async () => {
    const p = await predictor(4);
    await p.addPoints(0, 1, disc);
    const r = await p.addPoints(0, 1, { points: [[60, 90]], labels: [0], clearOld: false });
    expect(r.candidates).toBeNull(); // two points: single-mask mode
    expect(p.promptedFrames(1)).toEqual([0]);
  });
});

describe('objects are independent', () => {
  test('prompting object 2 leaves object 1 alone; propagation gives object 1 the same results', async () => {
    const p = await predictor(10);
    await p.addPoints(0, 1, disc);
    const alone = await collect(p);
    const before5 = p.frameMasks(5, { lowRes: true });
    const r = await p.addPoints(5, 2, { ...squareBox, box: [137, 45, 183, 90] }, { lowRes: true });
    expect(Array.from(lowRes(r, 1))).toEqual(Array.from(lowRes(before5, 1)));
    expect(p.promptedFrames(1)).toEqual([0]);
    expect(p.objectIds).toEqual([1, 2]);
    const both = await collect(p);
    both.forEach((f, i) => {
      expect(maxAbs(lowRes(f, 1), lowRes(alone[i]!, 1))).toBeLessThan(1e-4);
    });
    // P = 0: object 2 is tracked before its first prompt (memory from the future, no pointers)
    expect(both[2]!.objects[1]!.hasOutput).toBe(true);
    expect(both[5]!.objects[1]!.isCond).toBe(true);
    expect(both[2]!.objects[1]!.isCond).toBe(false);
  });

  test('removing an object drops only it', async () => {
    const p = await predictor(6);
    await p.addPoints(0, 1, disc);
    await p.addPoints(0, 2, squareBox);
    await collect(p);
    const before = p.frameMasks(3, { lowRes: true });
    expect(await p.removeObject(2)).toEqual({ frames: [0] });
    expect(p.objectIds).toEqual([1]);
    const after = p.frameMasks(3, { lowRes: true });
    expect(after.objects.map((o) => o.objId)).toEqual([1]);
    expect(Array.from(lowRes(after, 1))).toEqual(Array.from(lowRes(before, 1)));
    await expect(p.removeObject(2)).rejects.toMatchObject({ code: 'UNKNOWN_OBJECT' });
    expect((await collect(p)).length).toBe(6);
  });
});

describe('clearing prompts', () => {
  test('a cleared conditioning frame is downgraded to a tracked output and recomputed later', async () => {
    const p = await predictor(12);
    await p.addPoints(0, 1, disc);
    await p.addPoints(10, 1, { points: [[135, 90]], labels: [1] });
    await collect(p);
    const cleared = await p.clearFramePrompts(10, 1);
    expect(cleared.objects[0]!.isCond).toBe(false);
    expect(cleared.objects[0]!.hasOutput).toBe(true);
    expect(p.promptedFrames(1)).toEqual([0]);
    const again = await collect(p);
    expect(again[10]!.objects[0]!.isCond).toBe(false);
  });

  test('an object without any prompt cannot be propagated until it is prompted again', async () => {
    const p = await predictor(4);
    await p.addPoints(1, 1, disc);
    await p.clearFramePrompts(1, 1);
    await expect(collect(p)).rejects.toMatchObject({ code: 'NO_PROMPTS', message: expect.stringContaining('object 1') });
    await p.addPoints(1, 1, disc);
    expect((await collect(p)).map((f) => f.frame)).toEqual([1, 2, 3]);
  });
});

describe('propagation range', () => {
  test('maxFrames and reverse follow the reference (N visits up to N + 1 frames; nothing when reversing from 0)', async () => {
    const p = await predictor(10);
    await p.addPoints(4, 1, disc);
    expect((await collect(p, { maxFrames: 3 })).map((f) => f.frame)).toEqual([4, 5, 6, 7]);
    expect((await collect(p, { reverse: true })).map((f) => f.frame)).toEqual([4, 3, 2, 1, 0]);
    expect((await collect(p, { start: 2, reverse: true, maxFrames: 1 })).map((f) => f.frame)).toEqual([2, 1]);
    expect(await collect(p, { start: 0, reverse: true })).toEqual([]);
    const last = await collect(p, { start: 8 });
    expect(last.map((f) => [f.frame, f.index, f.total])).toEqual([
      [8, 0, 2],
      [9, 1, 2],
    ]);
  });

  test('cancelling mid-propagation stops between frames and leaves a consistent state', async () => {
    const p = await predictor(12);
    await p.addPoints(0, 1, disc);
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const f of p.propagate({ signal: ac.signal })) {
          seen.push(f.frame);
          if (f.frame === 3) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(p.outputFrames(1)).toEqual([0, 1, 2, 3]);
    // the engine is free again and carries on
    const rest = await collect(p, { start: 3 });
    expect(rest.map((f) => f.frame)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('calls during a propagation are refused (BUSY) without disturbing it', async () => {
    const p = await predictor(5);
    await p.addPoints(0, 1, disc);
    const frames: number[] = [];
    for await (const f of p.propagate()) {
      frames.push(f.frame);
      if (f.frame === 1) await expect(p.addPoints(2, 1, disc)).rejects.toMatchObject({ code: 'BUSY' });
    }
    expect(frames).toEqual([0, 1, 2, 3, 4]);
    expect(p.promptedFrames(1)).toEqual([0]);
  });
});

describe('candidates and mask prompts', () => {
  test('a single click offers three candidates; choosing one replaces mask and pointer', async () => {
    const p = await predictor(4);
    const r = await p.addPoints(0, 1, disc);
    expect(r.candidates).not.toBeNull();
    const c = r.candidates!;
    expect(c.masks).toHaveLength(3);
    expect(c.iou).toHaveLength(3);
    expect(c.chosen).toBe(c.iou.indexOf(Math.max(...c.iou)));
    expect(iou(c.masks[c.chosen]!, r.objects[0]!.mask!)).toBeGreaterThan(0.99);
    // byte for byte: the chosen alternative is the output's own mask (reused, not upsampled again)
    expect(Buffer.from(c.masks[c.chosen]!).equals(Buffer.from(r.objects[0]!.mask!))).toBe(true);
    const other = (c.chosen + 1) % 3;
    const picked = await p.chooseCandidate(0, 1, other);
    expect(iou(picked.objects[0]!.mask!, c.masks[other]!)).toBeGreaterThan(0.99);
    expect(Buffer.from(picked.objects[0]!.mask!).equals(Buffer.from(c.masks[other]!))).toBe(true);
    // choosing the first choice again gives the very mask offered for it
    const back = await p.chooseCandidate(0, 1, c.chosen);
    expect(Buffer.from(back.objects[0]!.mask!).equals(Buffer.from(c.masks[c.chosen]!))).toBe(true);
    await expect(p.chooseCandidate(0, 1, 3)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(p.chooseCandidate(1, 1, 0)).rejects.toMatchObject({ code: 'NO_CANDIDATES' });
    await p.addPoints(0, 1, {
      points: [
        [40, 90],
        [50, 90],
      ],
      labels: [1, 1],
    });
    await expect(p.chooseCandidate(0, 1, 0)).rejects.toMatchObject({ code: 'NO_CANDIDATES' });
    expect((await collect(p)).length).toBe(4);
  });

  test('a mask prompt is the output itself; an empty mask means the object is absent', async () => {
    const p = await predictor(6);
    const disc = new Uint8Array(g.H * g.W);
    for (let y = 0; y < g.H; y++) for (let x = 0; x < g.W; x++) disc[y * g.W + x] = (x - 100) ** 2 + (y - 90) ** 2 < 40 ** 2 ? 1 : 0;
    const r = await p.addMask(0, 1, disc);
    expect(r.objects[0]!.scoreLogit).toBe(10);
    expect(r.objects[0]!.isCond).toBe(true);
    // the stored output is the mask at low resolution (S/4), so only its outline moves
    expect(iou(r.objects[0]!.mask!, disc)).toBeGreaterThan(0.95);
    const empty = await p.addMask(2, 2, new Uint8Array(g.H * g.W));
    expect(empty.objects[1]!.scoreLogit).toBe(-10);
    expect(empty.objects[1]!.mask!.some((v) => v)).toBe(false);
    const frames = await collect(p);
    expect(frames.map((f) => f.frame)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p.promptedFrames(1)).toEqual([0]);
  });
});

describe('bad input: a clear error, no state change, the engine still works', () => {
  // one predictor for the whole table: every case must leave it exactly as it was
  let p: Sam2VideoPredictor;
  let before: Float32Array;
  beforeAll(async () => {
    pack ??= await loadPack(MICRO_PACK_DIR);
    p = await Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, false).slice(0, 4)), { provider: 'cpu', threads: 2 });
    await p.addPoints(0, 1, disc);
    before = lowRes(p.frameMasks(0, { lowRes: true }), 1);
  });
  afterAll(async () => {
    await p.dispose();
  });

  test.each([
    { name: 'point outside the frame', call: () => p.addPoints(0, 1, { points: [[321, 10]], labels: [1] }), code: 'BAD_POINTS' },
    { name: 'empty point list', call: () => p.addPoints(0, 1, { points: [], labels: [] }), code: 'BAD_POINTS' },
    { name: 'label other than 0/1', call: () => p.addPoints(0, 1, { points: [[10, 10]], labels: [3] }), code: 'BAD_LABELS' },
    { name: 'zero-area box', call: () => p.addPoints(0, 1, { points: [], labels: [], box: [10, 10, 50, 10] }), code: 'BAD_BOX' },
    { name: 'frame past the end', call: () => p.addPoints(4, 1, disc), code: 'BAD_FRAME' },
    { name: 'prompt for a new object on a frame that does not exist', call: () => p.addPoints(-1, 3, disc), code: 'BAD_FRAME' },
    { name: 'non-integer frame', call: () => p.addPoints(1.5, 1, disc), code: 'BAD_FRAME' },
    { name: 'non-integer object id', call: () => p.addPoints(0, 1.5, disc), code: 'BAD_ARGUMENT' },
    { name: 'mask of the wrong size', call: () => p.addMask(0, 1, new Uint8Array(10)), code: 'BAD_MASK' },
    { name: 'clear prompts of an unknown object', call: () => p.clearFramePrompts(0, 9), code: 'UNKNOWN_OBJECT' },
    { name: 'start frame past the end', call: () => collect(p, { start: 7 }), code: 'BAD_FRAME' },
    { name: 'negative maxFrames', call: () => collect(p, { maxFrames: -2 }), code: 'BAD_ARGUMENT' },
  ])('$name → $code', async ({ call, code }) => {
    const err = await call().then(
      () => null,
      (e) => e,
    );
    expect(err).toMatchObject({ name: 'EngineError', code });
    expect(err.message.length).toBeGreaterThan(10);
    expect(p.objectIds).toEqual([1]);
    expect(p.promptedFrames(1)).toEqual([0]);
    expect(p.outputFrames(1)).toEqual([0]);
    expect(Array.from(lowRes(p.frameMasks(0, { lowRes: true }), 1))).toEqual(Array.from(before));
  });

  test('after all of them the engine still tracks', async () => {
    expect((await collect(p)).map((f) => f.frame)).toEqual([0, 1, 2, 3]);
  });
});
