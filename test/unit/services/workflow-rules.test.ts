// The workflow's decisions as tables: busy rules, propagation passes, undo labels, colours, the
// pack choice, "same video", the undo stacks and the row/snapshot conversions.
import { describe, expect, it } from 'vitest';
import type { ModelPackInfo } from '../../../src-main/api/contract';
import type { EngineRow } from '../../../src-main/core/store';
import { choosePack } from '../../../src-main/services/engine-choice';
import { judgeSameVideo } from '../../../src-main/services/video-location';
import { busyDecision, busyError, type WorkflowOp } from '../../../src-main/services/workflow/busy-rules';
import { maskPromptWriteOf, maskWriteOf, orderedSnapshots, promptSource, snapshotOfRow } from '../../../src-main/services/workflow/conversions';
import type { ObjectFrameResult } from '../../../src-main/core/sam2/predictor';
import { UndoHistory, type DroppedEntries, type UndoEntry } from '../../../src-main/services/workflow/history';
import { objectEditLabel, objectPatchDiff, promptLabel, propagationLabel } from '../../../src-main/services/workflow/labels';
import { nextObjectColor } from '../../../src-main/shared/palette';
import { passFrames, propagationPasses, repropagationPasses, resumePasses } from '../../../src-main/services/workflow/propagation-plan';

describe('busy rules', () => {
  const ops: WorkflowOp[] = ['prompt', 'history', 'objects.add', 'objects.update', 'objects.remove', 'propagate', 'models.select', 'export', 'relocate'];
  const table: [string | null, string[]][] = [
    [null, ops.map(() => 'run')],
    ['extract', ops.map(() => 'run')],
    ['export', ops.map(() => 'run')],
    ['propagate', ['refuse', 'refuse', 'run', 'run', 'cancel-then-run', 'refuse', 'refuse', 'run', 'refuse']],
    ['repropagate', ['refuse', 'refuse', 'run', 'run', 'cancel-then-run', 'refuse', 'refuse', 'run', 'refuse']],
  ];
  it.each(table)('while %s runs', (kind, expected) => {
    expect(ops.map((op) => busyDecision(op, kind ? { kind } : null))).toEqual(expected);
  });
  it.each(['propagate', 'repropagate', 'segment'])('while a cancelled %s lets go of the engine, what it refused waits instead', (kind) => {
    const refused = ops.filter((op) => busyDecision(op, { kind }) === 'refuse');
    expect(refused.length).toBeGreaterThan(0);
    for (const op of ops) {
      const live = busyDecision(op, { kind });
      expect(busyDecision(op, { kind, cancelling: true })).toBe(live === 'refuse' ? 'wait-then-run' : live);
    }
  });
  it('says what runs and what to do', () => {
    expect(busyError({ kind: 'repropagate', jobId: 'j' })).toMatchObject({
      code: 'BUSY',
      message: 'a re-propagation is running — wait or cancel it.',
      details: { jobId: 'j' },
    });
  });
});

describe('propagation passes', () => {
  const P = (start: number, maxFrames: number, reverse: boolean) => ({ start, maxFrames, reverse, objIds: [1] });
  it.each([
    ['forward from 5', 5, 'forward', undefined, [P(5, 94, false)]],
    ['backward from 5', 5, 'backward', undefined, [P(5, 5, true)]],
    ['both from 5', 5, 'both', undefined, [P(5, 94, false), P(5, 5, true)]],
    ['both from 0: no backward pass', 0, 'both', undefined, [P(0, 99, false)]],
    ['backward from 0 visits nothing', 0, 'backward', undefined, []],
    ['forward in a range', 10, 'forward', [10, 20], [P(10, 10, false)]],
    ['both in a range', 15, 'both', [10, 20], [P(15, 5, false), P(15, 5, true)]],
    ['forward from the last frame', 99, 'forward', undefined, [P(99, 0, false)]],
  ] as const)('%s', (_n, frame, dir, range, passes) => {
    expect(propagationPasses(frame, dir, range as [number, number] | undefined, 100, [1])).toEqual(passes);
  });
  it.each([
    [120, 'forward', undefined, /args.frame 120 is past the last frame \(99\)/],
    [5, 'forward', [10, 20], /args.frame 5 must lie inside the range \[10, 20\]/],
    [15, 'forward', [20, 10], /args.range \[20, 10\] must start at or before its end/],
    [15, 'forward', [10, 100], /args.range ends at 100, past the last frame/],
  ] as const)('refuses frame %s %s %j', (frame, dir, range, msg) => {
    expect(() => propagationPasses(frame, dir, range as [number, number] | undefined, 100, [1])).toThrow(msg);
  });
  it('the frames of a pass', () => {
    expect(passFrames(P(3, 2, true), 10)).toEqual([3, 2, 1]);
    expect(passFrames(P(8, 5, false), 10)).toEqual([8, 9]);
  });

  it.each([
    [
      'up to each object’s next prompted frame, objects with the same end together',
      10,
      [
        [1, [0, 10, 30]],
        [2, [10]],
        [3, [5, 30]],
        [4, [2, 11]],
      ],
      [
        { start: 11, maxFrames: 18, reverse: false, objIds: [1, 3] },
        { start: 11, maxFrames: 88, reverse: false, objIds: [2] },
      ],
    ],
    ['nothing between the frame and the next prompted frame', 10, [[4, [2, 11]]], []],
    ['from the last frame', 99, [[1, [0]]], []],
    ['objects without prompts are left out', 10, [[1, []]], []],
  ] as const)('re-propagation: %s', (_n, frame, cond, passes) => {
    expect(repropagationPasses(frame, new Map(cond.map(([id, f]) => [id, [...f]])), 100)).toEqual(passes);
  });
});

describe('labels', () => {
  it.each([
    [{ op: 'points', points: 1, labels: [1], box: false, previousPoints: 0 }, 'Add point on frame 7'],
    [{ op: 'points', points: 2, labels: [1, 0], box: false, previousPoints: 1 }, 'Add negative point on frame 7'],
    [{ op: 'points', points: 1, labels: [1], box: false, previousPoints: 2 }, 'Remove point on frame 7'],
    [{ op: 'points', points: 4, labels: [1, 1, 0, 1], box: false, previousPoints: 1 }, 'Set 4 points on frame 7'],
    [{ op: 'points', points: 0, labels: [], box: true, previousPoints: 0 }, 'Draw box on frame 7'],
    // issue 13 (16): a box added to a frame with two points is a box, not "Set 2 points"
    [{ op: 'points', points: 2, labels: [1, 1], box: true, previousPoints: 2, previousBox: false, boxChanged: true }, 'Draw box on frame 7'],
    [{ op: 'points', points: 2, labels: [1, 1], box: true, previousPoints: 2, previousBox: true, boxChanged: true }, 'Move box on frame 7'],
    [{ op: 'points', points: 0, labels: [], box: true, previousPoints: 0, previousBox: true, boxChanged: true }, 'Move box on frame 7'],
    [{ op: 'points', points: 3, labels: [1, 1, 1], box: true, previousPoints: 2, previousBox: true, boxChanged: false }, 'Add point on frame 7'],
    [{ op: 'candidate', index: 1 }, 'Choose mask 2 on frame 7'],
    [{ op: 'mask' }, 'Set mask on frame 7'],
    [{ op: 'clear' }, 'Clear prompts on frame 7'],
  ] as const)('%j → %s', (call, label) => {
    expect(promptLabel(call as Parameters<typeof promptLabel>[0], 7)).toBe(label);
  });
  it.each([
    [{ name: 'x' }, 'Rename Car'],
    [{ hidden: true }, 'Hide Car'],
    [{ hidden: false }, 'Show Car'],
    [{ locked: true }, 'Lock Car'],
    [{ locked: false }, 'Unlock Car'],
    [{ color: '#ff0000' }, 'Recolour Car'],
    [{ label: 'vehicle' }, 'Set label of Car'],
    [{ name: 'x', hidden: true }, 'Edit Car'],
  ])('object edit %j → %s', (patch, label) => {
    expect(objectEditLabel('Car', patch)).toBe(label);
  });
  it('object edits keep only real changes, with their old values', () => {
    const cur = { name: 'Car', color: '#000000', label: '', hidden: false, locked: false };
    expect(objectPatchDiff(cur, { name: 'Car', hidden: true })).toEqual({ before: { hidden: false }, after: { hidden: true } });
    expect(objectPatchDiff(cur, {})).toEqual({ before: {}, after: {} });
  });
  it.each([
    [{ kind: 'propagate', frame: 0, direction: 'forward', from: 0, to: 120 }, 'Propagation forward 0–120'],
    [{ kind: 'propagate', frame: 50, direction: 'backward', from: 10, to: 120 }, 'Propagation backward 50–10'],
    [{ kind: 'propagate', frame: 50, direction: 'both', from: 0, to: 99 }, 'Propagation both ways 0–99 from 50'],
    [{ kind: 'repropagate', frame: 12, direction: 'forward', from: 12, to: 99 }, 'Re-propagation from frame 12'],
  ] as const)('%j → %s', (p, label) => {
    expect(propagationLabel(p)).toBe(label);
  });
});

describe('object colours', () => {
  const pal = ['#aa0000', '#00aa00', '#0000aa'];
  it.each([
    [[], '#aa0000'],
    [['#AA0000'], '#00aa00'],
    [['#00aa00', '#aa0000'], '#0000aa'],
    [['#0000aa'], '#aa0000'],
    [['#aa0000', '#00aa00', '#0000aa'], '#aa0000'],
    [['#aa0000', '#00aa00', '#0000aa', '#aa0000'], '#00aa00'],
  ])('used %j → %s', (used, c) => {
    expect(nextObjectColor(used, pal)).toBe(c);
  });
});

describe('pack choice', () => {
  const pack = (id: string, verified: boolean, problem: string | null = null): ModelPackInfo => ({
    id,
    name: id,
    dir: `/m/${id}`,
    bytes: 1,
    imageSize: 1024,
    verified,
    problem,
    family: null,
    speed: null,
  });
  it.each([
    ['nothing installed', [], null, null],
    ['the first verified pack', [pack('a', false), pack('b', true)], null, 'b'],
    ['the preferred pack', [pack('a', true), pack('b', true)], 'b', 'b'],
    ['a preferred pack that is broken is passed over', [pack('a', true), pack('b', true, 'truncated')], 'b', 'a'],
    ['a preferred pack that is gone is passed over', [pack('a', true)], 'zz', 'a'],
    ['unverified but loadable when nothing is verified', [pack('a', false)], null, 'a'],
    ['only broken packs', [pack('a', false, 'bad graph')], null, null],
  ] as const)('%s', (_n, packs, preferred, id) => {
    const c = choosePack(packs, preferred);
    expect(c.pack?.id ?? null).toBe(id);
    if (!c.pack) expect((c as { reason: string }).reason).toMatch(/No model pack is installed|No usable model pack: a: bad graph/);
  });
});

describe('same video', () => {
  const probe = { frames: 100, width: 640, height: 360 };
  const fp = { size: 1000, head: 'h1' };
  it.each([
    ['same fingerprint and probe', { fingerprint: fp, key: 'k', manifestMtimeMs: null, probe }, { fingerprint: fp, keyWithKnownMtime: null, probe }, null],
    [
      'other size',
      { fingerprint: fp, key: 'k', manifestMtimeMs: null, probe },
      { fingerprint: { ...fp, size: 999 }, keyWithKnownMtime: null, probe },
      /size is 999 bytes/,
    ],
    [
      'other content',
      { fingerprint: fp, key: 'k', manifestMtimeMs: null, probe },
      { fingerprint: { ...fp, head: 'h2' }, keyWithKnownMtime: null, probe },
      /content differs/,
    ],
    [
      'other probe',
      { fingerprint: fp, key: 'k', manifestMtimeMs: null, probe },
      { fingerprint: fp, keyWithKnownMtime: null, probe: { ...probe, frames: 99 } },
      /99 frames of 640×360/,
    ],
    [
      'no fingerprint: the key with the old mtime decides',
      { fingerprint: null, key: 'k', manifestMtimeMs: 5, probe },
      { fingerprint: fp, keyWithKnownMtime: 'k', probe },
      null,
    ],
    [
      'no fingerprint, other key',
      { fingerprint: null, key: 'k', manifestMtimeMs: 5, probe },
      { fingerprint: fp, keyWithKnownMtime: 'x', probe },
      /size or content differs/,
    ],
  ] as const)('%s', (_n, known, found, reason) => {
    const v = judgeSameVideo(known, found);
    if (reason === null) expect(v).toEqual({ same: true });
    else expect((v as { reason: string }).reason).toMatch(reason);
  });
});

describe('undo history', () => {
  const entry = (id: number): UndoEntry => ({ kind: 'cells', id, label: `e${id}`, objectIds: [1] });
  it('undo/redo moves entries; a new action drops the redo branch; the oldest fall off past the limit', () => {
    const dropped: DroppedEntries[] = [];
    const hst = new UndoHistory(1, (d) => dropped.push(d), 3);
    for (let i = 0; i < 3; i++) hst.push(entry(hst.newId()));
    expect(hst.state()).toEqual({ canUndo: true, canRedo: false, undoLabel: 'e3', redoLabel: null });
    const top = hst.peekUndo()!;
    hst.movedToRedo(top);
    expect(hst.state()).toEqual({ canUndo: true, canRedo: true, undoLabel: 'e2', redoLabel: 'e3' });
    hst.movedToUndo(hst.peekRedo()!);
    hst.movedToRedo(hst.peekUndo()!);
    hst.push(entry(hst.newId()));
    expect(dropped).toEqual([{ redoBranch: [entry(3)], overflow: [] }]);
    hst.push(entry(hst.newId()));
    expect(dropped[1]).toEqual({ redoBranch: [], overflow: [entry(1)] });
    expect(() => hst.movedToRedo(entry(2))).toThrow(/not on top/);
  });
  it('clear (after an import) drops every entry through discard; nothing to undo or redo', () => {
    const dropped: DroppedEntries[] = [];
    const hst = new UndoHistory(1, (d) => dropped.push(d));
    for (let i = 0; i < 3; i++) hst.push(entry(hst.newId()));
    hst.movedToRedo(hst.peekUndo()!);
    hst.clear();
    expect(dropped).toEqual([{ redoBranch: [entry(3)], overflow: [entry(1), entry(2)] }]);
    expect(hst.state()).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
    hst.clear();
    expect(dropped).toHaveLength(1);
  });
});

describe('conversions', () => {
  it.each([
    [null, 'prompt'],
    ['prompt', 'prompt'],
    ['propagated', 'corrected'],
    ['corrected', 'corrected'],
    ['fixed', 'corrected'],
  ] as const)('a prompt over %s is %s', (prev, src) => {
    expect(promptSource(prev)).toBe(src);
  });

  const engine = {
    objPtr: new Float32Array(2),
    summary: { runs: Uint32Array.from([4]), fgMean: 0, bgMean: -1 },
    memFromPrompt: false,
    tracked: 'forward' as const,
    iou: 0.5,
  };
  const row = (frame: number, over: Partial<EngineRow> = {}): EngineRow => ({ frame, score: 1, packId: 'p', engine, cond: null, ...over });
  const cond = (seq: number) => ({ seq, logits: new Float32Array(4), points: null, maskPrompt: false });
  it('a mask prompt stores exactly the given mask with the engine state of its output', () => {
    const snapshot = {
      frame: 3,
      isCond: true,
      tracked: null,
      score: 10,
      iou: 1,
      objPtr: new Float32Array(2),
      summary: engine.summary,
      memFromPrompt: true,
      lowRes: new Float32Array(4),
      points: null,
      maskPrompt: true,
    };
    const o = { objId: 7, mask: Uint8Array.from([1, 1, 0, 0]), scoreLogit: 10, snapshot } as unknown as ObjectFrameResult;
    const painted = { h: 2, w: 2, counts: [0, 1, 3] };
    const w = maskPromptWriteOf(o, 3, painted, { width: 2, height: 2 }, { source: 'prompt', packId: 'p' });
    expect(w).toMatchObject({ objectId: 7, frame: 3, rle: painted, score: 10, source: 'prompt', packId: 'p', engine: { memFromPrompt: true, iou: 1 } });
    // the engine's own video-size output differs from what was painted: the painted one is kept
    expect(maskWriteOf(o, 3, { width: 2, height: 2 }, { source: 'prompt', packId: 'p' }).rle).toEqual({ h: 2, w: 2, counts: [0, 2, 2] });
  });
  it('rows of another pack or without engine state are not snapshots', () => {
    expect(snapshotOfRow(row(1, { packId: 'other' }), 'p')).toBeNull();
    expect(snapshotOfRow(row(1, { engine: null }), 'p')).toBeNull();
    expect(snapshotOfRow(row(1), 'p')).toMatchObject({ frame: 1, isCond: false, lowRes: null, tracked: 'forward' });
    expect(snapshotOfRow(row(2, { cond: cond(1) }), 'p')).toMatchObject({ frame: 2, isCond: true, lowRes: new Float32Array(4) });
  });
  it('conditioning snapshots come first, in their stored order', () => {
    const { entries, unusable } = orderedSnapshots([row(0, { cond: cond(9) }), row(1), row(5, { cond: cond(3) }), row(6, { packId: 'x' })], 'p');
    expect(entries.map((e) => e.frame)).toEqual([5, 0, 1]);
    expect(unusable.map((r) => r.frame)).toEqual([6]);
  });
});

describe('resumePasses (issue 13: resume after cancel)', () => {
  const cur = (m: Record<string, number[]>) => (id: number, reverse: boolean) => new Set(m[`${id}${reverse ? 'r' : 'f'}`] ?? []);
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  it.each([
    [
      'nothing tracked: the pass as asked',
      [{ start: 0, maxFrames: 99, reverse: false, objIds: [1] }],
      {},
      { passes: [{ start: 0, maxFrames: 99, reverse: false, objIds: [1] }], skipped: 0, resumedAt: null },
    ],
    [
      'cancelled at 40: resumes at 40',
      [{ start: 0, maxFrames: 99, reverse: false, objIds: [1] }],
      { '1f': range(0, 39) },
      { passes: [{ start: 40, maxFrames: 59, reverse: false, objIds: [1] }], skipped: 40, resumedAt: 40 },
    ],
    [
      'only the contiguous prefix counts',
      [{ start: 0, maxFrames: 99, reverse: false, objIds: [1] }],
      { '1f': [0, 1, 2, 50, 51] },
      { passes: [{ start: 3, maxFrames: 96, reverse: false, objIds: [1] }], skipped: 3, resumedAt: 3 },
    ],
    [
      'frames tracked in the other direction are stale',
      [{ start: 50, maxFrames: 50, reverse: true, objIds: [1] }],
      { '1f': range(0, 99), '1r': [50] },
      { passes: [{ start: 49, maxFrames: 49, reverse: true, objIds: [1] }], skipped: 1, resumedAt: 49 },
    ],
    [
      'all tracked: nothing left',
      [{ start: 0, maxFrames: 9, reverse: false, objIds: [1] }],
      { '1f': range(0, 9) },
      { passes: [], skipped: 10, resumedAt: null },
    ],
    [
      'objects at different points get their own passes, earliest first',
      [{ start: 0, maxFrames: 99, reverse: false, objIds: [1, 2, 3] }],
      { '1f': range(0, 19), '2f': range(0, 9), '3f': range(0, 19) },
      {
        passes: [
          { start: 10, maxFrames: 89, reverse: false, objIds: [2] },
          { start: 20, maxFrames: 79, reverse: false, objIds: [1, 3] },
        ],
        skipped: 50,
        resumedAt: 10,
      },
    ],
    [
      'a reverse pass never starts at frame 0',
      [{ start: 5, maxFrames: 5, reverse: true, objIds: [1] }],
      { '1r': range(1, 5) },
      { passes: [{ start: 1, maxFrames: 1, reverse: true, objIds: [1] }], skipped: 4, resumedAt: 1 },
    ],
    [
      'both ways: the forward part done, the backward part from the frame',
      [
        { start: 50, maxFrames: 49, reverse: false, objIds: [1] },
        { start: 50, maxFrames: 50, reverse: true, objIds: [1] },
      ],
      { '1f': range(50, 99), '1r': [50] },
      {
        passes: [{ start: 49, maxFrames: 49, reverse: true, objIds: [1] }],
        skipped: 51,
        resumedAt: 49,
      },
    ],
  ] as const)('%s', (_n, passes, current, plan) => {
    expect(
      resumePasses(
        passes.map((p) => ({ ...p, objIds: [...p.objIds] })),
        cur(current as Record<string, number[]>),
        100,
      ),
    ).toEqual(plan);
  });
});
