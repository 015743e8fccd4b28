// The store's additions for the workflow (schema v2): engine state next to masks, conditioning
// outputs, the prompt-call log and undo cells, on real SQLite files in temp dirs.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMask } from '../../src-main/core/masks/rle';
import {
  openProjectStore,
  packFlags,
  packFloats,
  packSummary,
  unpackFlags,
  unpackFloats,
  unpackSummary,
  SCHEMA_VERSION,
  type MaskEngineState,
  type ProjectStore,
} from '../../src-main/core/store';
import { migrate } from '../../src-main/core/store/migrate';
import { migrations } from '../../src-main/core/store/schema';
import { tempDir } from '../helpers/make-video';

const work = tempDir('maskline-workflow-store-');
afterAll(() => work.cleanup());
let n = 0;
const fresh = (): ProjectStore => openProjectStore(join(work.dir, `p${++n}`));

const rle = (on: number[], w = 4, h = 2) =>
  encodeMask(
    Uint8Array.from({ length: w * h }, (_, i) => (on.includes(i) ? 1 : 0)),
    h,
    w,
  );
const engine = (x: number, tracked: MaskEngineState['tracked'] = 'forward'): MaskEngineState => ({
  objPtr: Float32Array.from([x, -x, 0.5]),
  summary: { runs: Uint32Array.from([3, 10, 3]), fgMean: Math.fround(2.5 + x), bgMean: Math.fround(-1.25) },
  memFromPrompt: false,
  tracked,
  iou: 0.75,
});

describe('engine codec', () => {
  it.each([
    ['empty runs', { runs: new Uint32Array([16]), fgMean: 0, bgMean: -3.5 }],
    ['leading foreground', { runs: Uint32Array.from([0, 300, 70000, 2]), fgMean: Math.fround(7.1), bgMean: Math.fround(-0.2) }],
    ['big runs', { runs: Uint32Array.from([2 ** 31, 5]), fgMean: 1, bgMean: -1 }],
  ])('summary round trip: %s', (_n, s) => {
    const back = unpackSummary(packSummary(s));
    expect(back.runs).toEqual(s.runs);
    expect(back.fgMean).toBe(s.fgMean);
    expect(back.bgMean).toBe(s.bgMean);
  });

  it.each([
    ['too short', Buffer.from([1, 0, 0]), /too short/],
    ['other version', Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /version 2/],
    ['truncated runs', Buffer.concat([packSummary({ runs: Uint32Array.from([1, 2, 3]), fgMean: 0, bgMean: 0 }).subarray(0, 11)]), /runs|ends/],
    ['trailing bytes', Buffer.concat([packSummary({ runs: Uint32Array.from([4]), fgMean: 0, bgMean: 0 }), Buffer.from([9])]), /trailing/],
  ])('summary refuses %s', (_n, blob, msg) => {
    expect(() => unpackSummary(blob)).toThrow(msg);
  });

  it.each([
    [{ memFromPrompt: true, tracked: null }, 1],
    [{ memFromPrompt: false, tracked: 'forward' }, 2],
    [{ memFromPrompt: true, tracked: 'reverse' }, 7],
    [{ memFromPrompt: false, tracked: null }, 0],
  ] as const)('flags %j ⇄ %i', (f, bits) => {
    expect(packFlags(f)).toBe(bits);
    expect(unpackFlags(bits)).toEqual(f);
  });

  it('floats keep every bit, and a blob of the wrong length is refused', () => {
    const a = Float32Array.from([1.5, -0, NaN, 3.4e38, 1e-45]);
    expect(Array.from(unpackFloats(packFloats(a), 'x'), (v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual([
      '1.5',
      '-0',
      'NaN',
      String(a[3]),
      String(a[4]),
    ]);
    expect(() => unpackFloats(Buffer.alloc(6), 'object pointer')).toThrow(/object pointer blob has 6 bytes/);
  });
});

describe('schema v2', () => {
  it('migrates a v1 project and keeps its rows', () => {
    const dir = join(work.dir, 'v1');
    mkdirSync(dir);
    const db = new Database(join(dir, 'project.sqlite'));
    migrate(db, migrations.slice(0, 1), 'v1');
    db.prepare("INSERT INTO objects (name, color, label, created_at, updated_at) VALUES ('old', '#ff0000', '', 1, 1)").run();
    db.close();
    const s = openProjectStore(dir);
    try {
      expect(s.migrated).toEqual({ from: 1, to: SCHEMA_VERSION });
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
      s.masks.put({ objectId: 1, frame: 0, rle: rle([1]), score: 1, source: 'prompt' });
      expect(s.engine.rows(1)).toEqual([{ frame: 0, score: 1, packId: null, engine: null, cond: null }]);
      expect(s.objects.get(1)?.name).toBe('old');
    } finally {
      s.close();
    }
  });
});

describe('engine state', () => {
  it('masks carry their engine state; conditioning outputs keep their logits, points and order', () => {
    const s = fresh();
    try {
      const o = s.objects.add();
      s.transaction(() => {
        for (const f of [5, 1, 3]) s.masks.put({ objectId: o.id, frame: f, rle: rle([f]), score: f, source: 'propagated', packId: 'micro', engine: engine(f) });
        s.engine.setCond(o.id, 3, { logits: Float32Array.from([1, -2, 3, -4]), points: { coords: [1.5, 2.5], labels: [1] }, maskPrompt: false });
        s.engine.setCond(o.id, 1, { logits: Float32Array.from([0, 0, 0, 1]), points: null, maskPrompt: true });
      });
      const rows = s.engine.rows(o.id);
      expect(rows.map((r) => r.frame)).toEqual([1, 3, 5]);
      expect(rows[2]!.engine!.objPtr).toEqual(Float32Array.from([5, -5, 0.5]));
      expect(rows[2]!.engine).toMatchObject({ tracked: 'forward', memFromPrompt: false, iou: 0.75, summary: { fgMean: Math.fround(7.5) } });
      expect(rows[1]!.cond).toMatchObject({ points: { coords: [1.5, 2.5], labels: [1] }, maskPrompt: false });
      expect(rows[1]!.cond!.logits).toEqual(Float32Array.from([1, -2, 3, -4]));
      // insertion order of the conditioning outputs survives an update
      s.engine.setCond(o.id, 3, { logits: Float32Array.from([9, 9, 9, 9]), points: null, maskPrompt: false });
      expect(rows[1]!.cond!.seq).toBeLessThan(rows[0]!.cond!.seq);
      expect(s.engine.rows(o.id)[1]!.cond!.seq).toBe(rows[1]!.cond!.seq);
      expect(s.engine.rowsAt(o.id, [5, 4, 1]).map((r) => r.frame)).toEqual([1, 5]);

      expect(s.masks.setTracked(o.id, 3, 'reverse')).toBe(true);
      expect(s.engine.rowsAt(o.id, [3])[0]!.engine).toMatchObject({ tracked: 'reverse', memFromPrompt: false });
      s.masks.put({ objectId: o.id, frame: 7, rle: rle([]), score: -1, source: 'propagated' });
      expect(s.masks.setTracked(o.id, 7, 'forward')).toBe(false); // no engine state to flag
      expect(s.engine.removeCond(o.id, 3)).toBe(true);
      expect(s.engine.getCond(o.id, 3)).toBeNull();
      expect(() => s.engine.setCond(999, 0, { logits: new Float32Array(4), points: null, maskPrompt: false })).toThrow(/object 999/);
    } finally {
      s.close();
    }
  });
});

describe('undo cells', () => {
  it('capture before and after, restore either side exactly, first capture wins', () => {
    const s = fresh();
    try {
      const o = s.objects.add();
      const cells = [0, 1, 2].map((frame) => ({ objectId: o.id, frame }));
      // before: frame 0 has a prompt + cond + mask, frame 1 a propagated mask, frame 2 nothing
      s.transaction(() => {
        s.prompts.set({ objectId: o.id, frame: 0, points: [[1, 1]], labels: [1] });
        s.engine.setCond(o.id, 0, { logits: Float32Array.from([1, 2, 3, 4]), points: { coords: [1, 1], labels: [1] }, maskPrompt: false });
        s.masks.put({ objectId: o.id, frame: 0, rle: rle([0]), score: 3, source: 'prompt', packId: 'a', engine: { ...engine(0, null), memFromPrompt: true } });
        s.masks.put({ objectId: o.id, frame: 1, rle: rle([1]), score: 2, source: 'propagated', packId: 'a', engine: engine(1) });
      });
      const before = snapshot(s, o.id);
      const run = s.runs.start({ kind: 'propagate' });
      s.transaction(() => {
        s.undoCells.capture(1, 0, cells);
        s.masks.put({ objectId: o.id, frame: 1, rle: rle([5]), score: 9, source: 'propagated', runId: run.id, engine: engine(9) });
        s.masks.put({ objectId: o.id, frame: 2, rle: rle([6]), score: 8, source: 'propagated', runId: run.id, engine: engine(8) });
        s.prompts.remove(o.id, 0);
        s.engine.removeCond(o.id, 0);
        s.undoCells.capture(1, 0, cells); // a second visit does not overwrite the "before"
      });
      const after = snapshot(s, o.id);
      expect(after).not.toEqual(before);
      expect(s.undoCells.cells(1)).toEqual(cells);

      s.transaction(() => {
        s.undoCells.capture(1, 1, cells);
        expect(s.undoCells.restore(1, 0)).toEqual(cells);
      });
      expect(snapshot(s, o.id)).toEqual(before);
      s.transaction(() => s.undoCells.restore(1, 1));
      expect(snapshot(s, o.id)).toEqual(after);
      expect(s.masks.get(o.id, 2)!.runId).toBe(run.id);

      expect(s.undoCells.maxEntry()).toBe(1);
      s.undoCells.drop([1]);
      expect(s.undoCells.cells(1)).toEqual([]);
      expect(s.undoCells.maxEntry()).toBe(0);
    } finally {
      s.close();
    }
  });
});

describe('prompt calls', () => {
  it('log every call in order; undo marks them; undone calls can be dropped', () => {
    const s = fresh();
    try {
      const o = s.objects.add();
      s.promptCalls.add({ objectId: o.id, frame: 4, op: 'points', args: { points: [[1, 2]], labels: [1], clearOld: true }, packId: 'micro', undoEntry: 1 });
      s.promptCalls.add({ objectId: o.id, frame: 4, op: 'candidate', args: { index: 2 }, undoEntry: 2 });
      s.promptCalls.add({ objectId: o.id, frame: 4, op: 'mask', args: {}, mask: rle([1, 2]), undoEntry: 3 });
      s.promptCalls.setUndone(3, true);
      const calls = s.promptCalls.forCell(o.id, 4);
      expect(calls.map((c) => [c.op, c.undone, c.undoEntry])).toEqual([
        ['points', false, 1],
        ['candidate', false, 2],
        ['mask', true, 3],
      ]);
      expect(calls[0]!.args).toEqual({ points: [[1, 2]], labels: [1], clearOld: true });
      expect(calls[2]!.mask).toEqual(rle([1, 2]));
      expect(s.promptCalls.dropUndone()).toBe(1);
      s.promptCalls.detachEntries();
      expect(s.promptCalls.forCell(o.id, 4).map((c) => c.undoEntry)).toEqual([null, null]);
      expect(() => s.promptCalls.add({ objectId: o.id, frame: 0, op: 'bogus' as never, args: {} })).toThrow(/op must be/);
    } finally {
      s.close();
    }
  });
});

function snapshot(s: ProjectStore, objectId: number): unknown {
  return {
    masks: s.masks.listRange(objectId, 0, 100).map((m) => ({ ...m, updatedAt: 0 })),
    engine: s.engine.rows(objectId).map((r) => ({ ...r, cond: r.cond ? { ...r.cond, seq: 0 } : null })),
    prompts: s.prompts.forObject(objectId),
  };
}
