// Segment everything in the renderer, as tables: the panel's knobs → the request and its cost,
// which proposal a pixel means (outlines: smallest on top; label view: best predicted IoU),
// keeping and dropping, future object colours, the label colours; the refusals and the S key.
import { describe, expect, it } from 'vitest';
import type { PackSpeed, Proposal, Rle } from '../../../src-main/api/contract';
import { keepRefusal, removeQuestion, segmentRefusal, type EditContext } from '../../../src-renderer/src/lib/edit-rules';
import { keyAction, type KeyInput } from '../../../src-renderer/src/lib/keymap';
import {
  dropKept,
  drawOrder,
  futureColors,
  hitMap,
  hslToRgb,
  keepAll,
  labelColor,
  labelViewParts,
  liveKept,
  proposalAt,
  toggleKept,
} from '../../../src-renderer/src/lib/proposal-view';
import { segmentRequest, segmentWork, SEGMENT_DEFAULTS, type SegmentForm } from '../../../src-renderer/src/lib/segment-form';
import {
  describeEstimate,
  estimateSeconds,
  measuredSpeed,
  speedFromRun,
  type MeasuredSpeed,
  type RunShape,
} from '../../../src-renderer/src/lib/segment-estimate';

describe('segmentRequest', () => {
  it("the defaults are the official generator's and make a full request", () => {
    expect(segmentRequest(12, SEGMENT_DEFAULTS)).toEqual({
      ok: true,
      args: {
        frame: 12,
        pointsPerSide: 32,
        predIouThresh: 0.8,
        stabilityScoreThresh: 0.95,
        boxNmsThresh: 0.7,
        cropNLayers: 0,
        minMaskRegionArea: 0,
        useM2m: false,
      },
    });
  });
  const bad: [string, Partial<SegmentForm>, keyof SegmentForm, RegExp][] = [
    ['a density not offered', { pointsPerSide: 12 }, 'pointsPerSide', /one of 8, 16, 32, 64/],
    ['IoU above 1', { predIouThresh: 1.2 }, 'predIouThresh', /predicted-IoU threshold must be between 0 and 1/],
    ['IoU not a number (an emptied field)', { predIouThresh: NaN }, 'predIouThresh', /between 0 and 1/],
    ['negative stability', { stabilityScoreThresh: -0.1 }, 'stabilityScoreThresh', /stability threshold/],
    ['NMS above 1', { boxNmsThresh: 2 }, 'boxNmsThresh', /box NMS threshold/],
    ['two crop layers', { cropNLayers: 2 }, 'cropNLayers', /0 or 1/],
    ['a fractional area', { minMaskRegionArea: 2.5 }, 'minMaskRegionArea', /whole number from 0 to 65536/],
    ['a huge area', { minMaskRegionArea: 1e9 }, 'minMaskRegionArea', /whole number/],
  ];
  it.each(bad)('refuses %s', (_n, patch, field, message) => {
    const r = segmentRequest(0, { ...SEGMENT_DEFAULTS, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message).toMatch(message);
    }
  });
  it.each([0, 1])('accepts thresholds at the ends (%s)', (v) => {
    expect(segmentRequest(0, { ...SEGMENT_DEFAULTS, predIouThresh: v, stabilityScoreThresh: v, boxNmsThresh: v }).ok).toBe(true);
  });
});

describe('the cost of a run', () => {
  it.each([
    [
      { pointsPerSide: 8, cropNLayers: 0, useM2m: false },
      { points: 64, crops: 1, decoderRows: 64 },
    ],
    [
      { pointsPerSide: 32, cropNLayers: 0, useM2m: false },
      { points: 1024, crops: 1, decoderRows: 1024 },
    ],
    [
      { pointsPerSide: 32, cropNLayers: 1, useM2m: false },
      { points: 5120, crops: 5, decoderRows: 5120 },
    ],
    [
      { pointsPerSide: 16, cropNLayers: 0, useM2m: true },
      { points: 256, crops: 1, decoderRows: 512 },
    ],
  ])('%j', (f, work) => expect(segmentWork(f)).toEqual(work));
});

describe('the time of a run, from the speed measured here', () => {
  // one decoder call of 64 points: 2,560 ms; one encoding: 5,500 ms (numbers for the table, not measurements)
  const m: MeasuredSpeed = { batchMs: 2560, batch: 64, encoderMs: 5500, provider: 'cpu' };
  const shape = (p: Partial<RunShape>): RunShape => ({ pointsPerSide: 32, cropNLayers: 0, useM2m: false, frameEncoded: true, ...p });
  it.each([
    ['32²: 16 decoder calls', shape({}), m, 16 * 2.56],
    ['8²: one call', shape({ pointsPerSide: 8 }), m, 2.56],
    ['the frame not encoded yet: one encoding more', shape({ pointsPerSide: 8, frameEncoded: false }), m, 2.56 + 5.5],
    ['crop layer 1: 5 crops of 16 calls, 4 crop encodings', shape({ cropNLayers: 1 }), m, 5 * 16 * 2.56 + 4 * 5.5],
    ['m2m: the 3 masks of each point once more', shape({ pointsPerSide: 16, useM2m: true }), m, (4 + 12) * 2.56],
    ['a short batch is still a call', shape({ pointsPerSide: 9 }), m, 2 * 2.56],
    ['another batch size: proportional time per call', shape({ pointsPerBatch: 128 }), m, 8 * 5.12],
    ['a fast pack: 12 ms a call', shape({ pointsPerSide: 64 }), { ...m, batchMs: 12, encoderMs: 40 }, 64 * 0.012],
    ['no measurement', shape({}), null, null],
  ])('%s', (_n, r, speed, sec) => {
    const got = estimateSeconds(r, speed);
    if (sec === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(sec, 6);
  });

  it.each([
    [
      { amgBatchMs: 300, amgBatch: 64 },
      { batchMs: 300, batch: 64, encoderMs: 900, provider: 'cpu' },
    ],
    [{}, null], // measured before segment everything's batch was timed
    [{ amgBatchMs: 300, amgBatch: 0 }, null],
  ])('measuredSpeed(%j)', (extra, want) => {
    const speed: PackSpeed = { msPerFrame: 1200, graphs: { image_encoder: 900 }, provider: 'cpu', threads: 2, measuredAt: '2025-01-01T00:00:00Z', ...extra };
    expect(measuredSpeed(speed)).toEqual(want);
  });
  it('no speed at all', () => expect(measuredSpeed(null)).toBeNull());

  it.each([
    ['a finished run: its time less encodings per decoder call', { totalMs: 2100, encoderMs: 500, decoderCalls: 16 }, m, { ...m, batchMs: 100 }],
    ['no run yet: the measurement', null, m, m],
    ['a run without decoder calls (cancelled at once)', { totalMs: 30, encoderMs: 0, decoderCalls: 0 }, m, m],
    ['no measurement at all stays none', { totalMs: 2100, encoderMs: 500, decoderCalls: 16 }, null, null],
  ])('speedFromRun: %s', (_n, run, measured, want) => expect(speedFromRun(run, measured)).toEqual(want));

  it.each([
    [1024, 40.96, 'cpu', '1,024 points · ≈ 41 s on the CPU'],
    [4096, 163.84, 'cpu', '4,096 points · ≈ 3 min on the CPU'],
    [64, 6.2, 'cpu', '64 points · ≈ 6.2 s on the CPU'],
    [64, 1.9, 'cpu', '64 points · ≈ 1.9 s on the CPU'],
    [64, 0.16, 'cuda', '64 points · < 1 s with CUDA'],
    [64, null, null, '64 points · time measured once the model has loaded'],
  ])('describes %s points in %s s (%s)', (points, sec, provider, text) => expect(describeEstimate(points, sec, provider)).toBe(text));
});

// 4 × 3 frame; a: the whole top row (4 px), b: columns 1–2 of rows 0–1 (4 px), c: pixel (2, 2)
const W = 4;
const H = 3;
function rleOf(pixels: number[]): Rle {
  const m = new Uint8Array(W * H);
  for (const p of pixels) m[p] = 1;
  const counts: number[] = [];
  let cur = 0,
    run = 0;
  for (const v of m) {
    if (v === cur) run++;
    else {
      counts.push(run);
      cur = v;
      run = 1;
    }
  }
  counts.push(run);
  return { h: H, w: W, counts };
}
const P = (id: number, pixels: number[], predictedIou: number): Proposal => ({
  id,
  rle: rleOf(pixels),
  area: pixels.length,
  bbox: [0, 0, 0, 0],
  predictedIou,
  stabilityScore: 1,
  pointCoords: [[0, 0]],
  cropBox: [0, 0, W, H],
});
const a = P(0, [0, 1, 2, 3], 0.6);
const b = P(1, [1, 2, 5, 6], 0.9);
const c = P(2, [10], 0.7);
const ps = [a, b, c];

describe('which proposal a pixel means', () => {
  it('outlines view: the smallest under the pixel (it is drawn on top)', () => {
    expect(Array.from(hitMap(ps, H, W, false))).toEqual([1, 2, 2, 1, 0, 2, 2, 0, 0, 0, 3, 0]);
  });
  it('label view: the best predicted IoU owns the pixel', () => {
    expect(Array.from(hitMap([{ ...a, predictedIou: 0.95 }, b, c], H, W, true))).toEqual([1, 1, 1, 1, 0, 2, 2, 0, 0, 0, 3, 0]);
    expect(Array.from(hitMap(ps, H, W, true))).toEqual([1, 2, 2, 1, 0, 2, 2, 0, 0, 0, 3, 0]);
  });
  it('equal areas: the later proposal is on top, as drawOrder paints it last', () => {
    const twin = P(3, [0, 1, 2, 3], 0.5);
    expect(drawOrder([a, twin]).map((p) => p.id)).toEqual([0, 3]);
    expect(hitMap([a, twin], H, W, false)[0]).toBe(2);
  });
  it.each([
    [1.5, 0.2, 1],
    [0.1, 0.9, 0],
    [2.99, 2.5, 2],
    [0.5, 1.5, null],
    [-0.5, 0, null],
    [4, 0, null],
    [0, 3, null],
  ])('at (%s, %s) → proposal %s', (x, y, id) => {
    expect(proposalAt(hitMap(ps, H, W, false), ps, W, H, x, y)?.id ?? null).toBe(id);
  });
  it('drawOrder is largest first', () => {
    expect(drawOrder([c, a, b]).map((p) => p.id)).toEqual([0, 1, 2]);
  });
  it("the label view's parts are what each proposal wins", () => {
    const parts = labelViewParts([{ ...a, predictedIou: 0.95 }, b, c], H, W);
    expect(parts).toEqual([rleOf([0, 1, 2, 3]), rleOf([5, 6]), rleOf([10])]);
  });
});

describe('keeping', () => {
  it.each([
    ['keep one', [], 4, [4]],
    ['keep another after it', [4], 1, [4, 1]],
    ['drop one', [4, 1, 7], 1, [4, 7]],
  ])('%s', (_n, kept, id, next) => expect(toggleKept(kept, id)).toEqual(next));
  it('dropping what is not kept changes nothing', () => expect(dropKept([2, 3], 9)).toEqual([2, 3]));
  it('keep all: the kept first, then the rest largest first', () => {
    expect(keepAll([2], ps)).toEqual([2, 0, 1]);
    expect(keepAll([], [c, b, a])).toEqual([1, 0, 2]); // a and b have equal areas: their order stays
    expect(keepAll([7, 1], ps)).toEqual([1, 0, 2]);
  });
  it('ids that are no longer proposals are not kept', () => expect(liveKept([2, 9, 0], ps)).toEqual([2, 0]));
  it("future colours follow the services' palette rule in keeping order", () => {
    const m = futureColors([5, 2], ['#e6194b']);
    expect([...m]).toEqual([
      [5, '#3cb44b'],
      [2, '#ffe119'],
    ]);
    expect(futureColors([], []).size).toBe(0);
  });
});

describe('label colours', () => {
  it.each([
    [0, 1, 0.5, [255, 0, 0]],
    [120, 1, 0.5, [0, 255, 0]],
    [240, 1, 0.5, [0, 0, 255]],
    [60, 1, 0.5, [255, 255, 0]],
    [0, 0, 0.5, [128, 128, 128]],
  ] as const)('hsl(%s, %s, %s)', (h, s, l, rgb) => expect(hslToRgb(h, s, l)).toEqual(rgb));
  it('the first 12 labels all differ', () => {
    expect(new Set(Array.from({ length: 12 }, (_, i) => labelColor(i).join(','))).size).toBe(12);
  });
});

describe('refusals and keys', () => {
  const ok: EditContext = { hasProject: true, engine: { state: 'ready', error: null }, busy: null };
  it.each([
    ['allowed', ok, null],
    ['no project', { ...ok, hasProject: false }, 'NO_PROJECT'],
    ['a propagation', { ...ok, busy: { kind: 'propagate' } }, 'BUSY'],
    ['another run', { ...ok, busy: { kind: 'segment' } }, 'BUSY'],
    ['no pack', { ...ok, engine: { state: 'none' as const, error: null } }, 'NO_MODEL'],
  ])('segment everything: %s', (_n, c, code) => expect(segmentRefusal(c)?.code ?? null).toBe(code));
  it('the busy message names segment everything', () => {
    expect(segmentRefusal({ ...ok, busy: { kind: 'segment' } })?.message).toMatch(/^Segment everything is running: Segment everything waits/);
  });
  it.each([
    ['nothing kept', ok, 0, 'NOTHING_KEPT'],
    ['kept some', ok, 2, null],
    ['busy', { ...ok, busy: { kind: 'segment' } }, 2, 'BUSY'],
    ['loading', { ...ok, engine: { state: 'loading' as const, error: null } }, 1, 'ENGINE_LOADING'],
  ])('keep: %s', (_n, c, n, code) => expect(keepRefusal(c, n)?.code ?? null).toBe(code));
  it('deleting an object during a segment run asks first', () => {
    expect(removeQuestion({ ...ok, busy: { kind: 'segment' } }, 'Car')).toBe(
      'Segment everything is running. Deleting Car cancels it first; run it again afterwards. Delete Car?',
    );
  });

  const k = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    key,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    editable: false,
    ...mods,
  });
  it.each([
    ['S opens or leaves the panel', k('s'), { type: 'segment' }],
    ['with Caps Lock too', k('S'), { type: 'segment' }],
    ['a held S does not flicker', k('s', { repeat: true }), null],
    ['Shift+S is nothing', k('S', { shiftKey: true }), null],
    ["Ctrl+S stays the system's", k('s', { ctrlKey: true }), null],
    ['S in a field is typing', k('s', { editable: true }), null],
  ])('%s', (_n, input, action) => expect(keyAction(input)).toEqual(action));
});
