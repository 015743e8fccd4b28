// The project database on real SQLite files in temp folders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/make-video';
import { APPLICATION_ID, PROJECT_DB_FILE, SCHEMA_VERSION, StoreError, openProjectStore, type ProjectStore } from '../../src-main/core/store';
import { emptyRle, encodeMask, type Rle } from '../../src-main/core/masks/rle';
import { canMountTmpfs } from '../helpers/tmpfs';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('maskline-store-');
});
afterAll(() => t.cleanup());

let n = 0;
const freshDir = () => join(t.dir, `p${++n}`);
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

function storeError(f: () => unknown): StoreError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

/** A w×h mask with a filled rectangle. */
function rect(h: number, w: number, x0: number, y0: number, x1: number, y1: number): Rle {
  const m = new Uint8Array(h * w);
  for (let y = y0; y < y1; y++) m.fill(1, y * w + x0, y * w + x1);
  return encodeMask(m, h, w);
}

describe('opening', () => {
  it('creates the folder and a WAL database at the current schema', () => {
    const dir = join(freshDir(), 'nested');
    const s = openProjectStore(dir);
    try {
      expect(s.file).toBe(join(dir, PROJECT_DB_FILE));
      expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(s.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(s.migrated).toEqual({ from: 0, to: SCHEMA_VERSION });
    } finally {
      s.close();
    }
    const again = openProjectStore(dir, { create: false });
    expect(again.migrated).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    again.close();
  });

  it('refuses a database from a newer app and leaves it byte for byte unchanged', () => {
    const dir = freshDir();
    openProjectStore(dir).close();
    const file = join(dir, PROJECT_DB_FILE);
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(file);
    const e = storeError(() => openProjectStore(dir));
    expect(e.code).toBe('SCHEMA_TOO_NEW');
    expect(e.message).toMatch(/newer Maskline.*left unchanged/);
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses another program’s SQLite file, a non-database, a missing project and a file as folder', () => {
    const other = freshDir();
    mkdirSync(other);
    const raw = new Database(join(other, PROJECT_DB_FILE));
    raw.exec('CREATE TABLE stuff (x)');
    raw.close();
    const before = sha(join(other, PROJECT_DB_FILE));
    expect(storeError(() => openProjectStore(other)).code).toBe('NOT_A_PROJECT');
    expect(sha(join(other, PROJECT_DB_FILE))).toBe(before);

    const junk = freshDir();
    mkdirSync(junk);
    writeFileSync(join(junk, PROJECT_DB_FILE), Buffer.alloc(8192, 7));
    expect(storeError(() => openProjectStore(junk)).code).toBe('NOT_A_DATABASE');

    const missing = freshDir();
    expect(storeError(() => openProjectStore(missing, { create: false })).code).toBe('PROJECT_NOT_FOUND');
    expect(existsSync(missing)).toBe(false);

    const file = join(t.dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(storeError(() => openProjectStore(file)).code).toBe('INVALID_ARGUMENT');
  });
});

describe('repositories', () => {
  let s: ProjectStore;
  let dir: string;
  beforeAll(() => {
    dir = freshDir();
    s = openProjectStore(dir);
  });
  afterAll(() => s.close());

  it('videos: upsert by content key, relocate', () => {
    const key = 'a'.repeat(64);
    const v = s.videos.upsert({ path: '/v/a.mp4', key, probe: { frames: 10, fps: 25 } });
    expect(v).toMatchObject({ path: '/v/a.mp4', key, probe: { frames: 10, fps: 25 } });
    expect(s.videos.upsert({ path: '/w/a.mp4', key, probe: { frames: 10, fps: 25 } }).id).toBe(v.id);
    expect(s.videos.setPath(v.id, '/z/a.mp4').path).toBe('/z/a.mp4');
    expect(s.videos.main()?.id).toBe(v.id);
    expect(storeError(() => s.videos.upsert({ path: '/x', key: 'not hex', probe: {} })).code).toBe('INVALID_ARGUMENT');
    expect(storeError(() => s.videos.setPath(999, '/x')).code).toBe('NOT_FOUND');
  });

  it('objects: defaults, update, validation, soft delete, restore and purge', () => {
    const a = s.objects.add();
    expect(a).toEqual({ id: a.id, name: `Object ${a.id}`, color: expect.stringMatching(/^#[0-9a-f]{6}$/i), label: '', hidden: false, locked: false });
    const b = s.objects.add({ name: 'dog', color: '#112233', label: 'animal' });
    expect(s.objects.update(b.id, { hidden: true, name: 'Rex' })).toMatchObject({ name: 'Rex', hidden: true, color: '#112233', label: 'animal' });
    expect(storeError(() => s.objects.update(b.id, { color: 'red' })).code).toBe('INVALID_ARGUMENT');
    expect(storeError(() => s.objects.update(b.id, { hidden: 'yes' as never })).code).toBe('INVALID_ARGUMENT');
    expect(storeError(() => s.objects.update(12345, { name: 'x' })).code).toBe('NOT_FOUND');
    expect(storeError(() => s.objects.add({ name: 'x'.repeat(500) })).code).toBe('INVALID_ARGUMENT');

    s.prompts.set({ objectId: b.id, frame: 3, points: [[10, 20]], labels: [1] });
    s.masks.put({ objectId: b.id, frame: 3, rle: rect(8, 8, 1, 1, 4, 4), score: 5, source: 'prompt' });
    s.objects.remove(b.id);
    expect(s.objects.list().map((o) => o.id)).not.toContain(b.id);
    expect(s.objects.get(b.id)).toBeNull();
    expect(s.prompts.get(b.id, 3)).toBeNull();
    expect(s.masks.forFrame(3).map((m) => m.objectId)).not.toContain(b.id);
    expect(s.trackSummaries().map((t) => t.objectId)).not.toContain(b.id);
    expect(s.objects.restore(b.id).name).toBe('Rex');
    expect(s.masks.get(b.id, 3)?.area).toBe(9);
    expect(s.prompts.get(b.id, 3)?.points).toEqual([[10, 20]]);
    const before = s.masks.count();
    s.objects.purge(b.id);
    expect(s.masks.count()).toBe(before - 1);
    expect(storeError(() => s.objects.restore(b.id)).code).toBe('NOT_FOUND');
    // ids of purged objects are never reused
    expect(s.objects.add().id).toBeGreaterThan(b.id);
  });

  it('prompts: replace per object and frame, masks as prompts, validation', () => {
    const o = s.objects.add();
    s.prompts.set({
      objectId: o.id,
      frame: 0,
      points: [
        [1, 2],
        [3, 4],
      ],
      labels: [1, 0],
      box: [0, 0, 5, 5],
    });
    s.prompts.set({ objectId: o.id, frame: 0, points: [[9, 9]], labels: [1] });
    expect(s.prompts.get(o.id, 0)).toMatchObject({ points: [[9, 9]], labels: [1], box: null, mask: null });
    const mask = rect(6, 6, 0, 0, 2, 2);
    s.prompts.set({ objectId: o.id, frame: 7, points: [], labels: [], mask });
    expect(s.prompts.get(o.id, 7)?.mask).toEqual(mask);
    expect(s.prompts.forObject(o.id).map((p) => p.frame)).toEqual([0, 7]);
    const bad: [string, () => unknown, string][] = [
      ['labels of another length', () => s.prompts.set({ objectId: o.id, frame: 1, points: [[1, 1]], labels: [] }), 'INVALID_ARGUMENT'],
      ['label 2', () => s.prompts.set({ objectId: o.id, frame: 1, points: [[1, 1]], labels: [2] }), 'INVALID_ARGUMENT'],
      ['NaN point', () => s.prompts.set({ objectId: o.id, frame: 1, points: [[NaN, 1]], labels: [1] }), 'INVALID_ARGUMENT'],
      ['negative frame', () => s.prompts.set({ objectId: o.id, frame: -1, points: [[1, 1]], labels: [1] }), 'INVALID_ARGUMENT'],
      ['nothing at all', () => s.prompts.set({ objectId: o.id, frame: 1, points: [], labels: [] }), 'INVALID_ARGUMENT'],
      ['unknown object', () => s.prompts.set({ objectId: 99999, frame: 1, points: [[1, 1]], labels: [1] }), 'NOT_FOUND'],
    ];
    for (const [name, f, code] of bad) expect(storeError(f).code, name).toBe(code);
    expect(s.prompts.get(o.id, 1)).toBeNull();
    expect(s.prompts.remove(o.id, 7)).toBe(true);
    expect(s.prompts.remove(o.id, 7)).toBe(false);
  });

  it('masks: area and bbox stored, one frame for all objects, ranges for undo', () => {
    const a = s.objects.add();
    const b = s.objects.add();
    s.masks.putMany([
      { objectId: a.id, frame: 10, rle: rect(20, 30, 2, 3, 12, 8), score: 3.5, source: 'propagated', packId: 'sam2.1-tiny', runId: null },
      { objectId: b.id, frame: 10, rle: emptyRle(20, 30), score: -4, source: 'propagated' },
      { objectId: a.id, frame: 11, rle: rect(20, 30, 0, 0, 1, 1), score: 1, source: 'corrected' },
    ]);
    expect(s.masks.get(a.id, 10)).toMatchObject({ area: 50, bbox: [2, 3, 10, 5], score: 3.5, source: 'propagated', packId: 'sam2.1-tiny', runId: null });
    expect(s.masks.get(b.id, 10)).toMatchObject({ area: 0, bbox: null });
    const frame = s.masks.forFrame(10);
    expect(frame.map((m) => [m.objectId, m.score, m.source])).toEqual([
      [a.id, 3.5, 'propagated'],
      [b.id, -4, 'propagated'],
    ]);
    expect(frame[0]!.rle).toEqual(rect(20, 30, 2, 3, 12, 8));
    // upsert replaces
    s.masks.put({ objectId: a.id, frame: 10, rle: rect(20, 30, 0, 0, 2, 2), score: 9, source: 'corrected' });
    expect(s.masks.get(a.id, 10)).toMatchObject({ area: 4, source: 'corrected', packId: null });
    expect(s.masks.listRange(a.id, 0, 100).map((m) => m.frame)).toEqual([10, 11]);
    expect(s.masks.removeRange(a.id, 11, 11)).toBe(1);
    expect(s.masks.remove(a.id, 10)).toBe(true);
  });

  it('masks: a bad mask in a batch writes none of the batch', () => {
    const o = s.objects.add();
    const count = s.masks.count();
    const batch = [
      { objectId: o.id, frame: 1, rle: rect(4, 4, 0, 0, 2, 2), score: 1, source: 'propagated' as const },
      { objectId: o.id, frame: 2, rle: { h: 4, w: 4, counts: [3] }, score: 1, source: 'propagated' as const },
    ];
    expect(() => s.masks.putMany(batch)).toThrow(/sum to 3/);
    expect(storeError(() => s.masks.putMany([batch[0]!, { ...batch[0]!, frame: 3, source: 'guessed' as never }])).code).toBe('INVALID_ARGUMENT');
    expect(storeError(() => s.masks.putMany([batch[0]!, { ...batch[0]!, frame: 4, score: NaN }])).code).toBe('INVALID_ARGUMENT');
    expect(storeError(() => s.masks.putMany([batch[0]!, { ...batch[0]!, objectId: 424242 }])).code).toBe('NOT_FOUND');
    expect(s.masks.count()).toBe(count);
  });

  it('transaction(): all or nothing', () => {
    const before = s.objects.list().length;
    expect(() =>
      s.transaction(() => {
        s.objects.add({ name: 'temp' });
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(s.objects.list().length).toBe(before);
  });

  it('runs: start, progress, finish; interrupted after a crash', () => {
    const r = s.runs.start({ kind: 'propagate', params: { frame: 0, direction: 'forward' }, packId: 'tiny' });
    expect(r).toMatchObject({ state: 'running', framesDone: 0, params: { frame: 0, direction: 'forward' } });
    s.runs.progress(r.id, 17);
    expect(s.runs.finish(r.id, 'cancelled')).toMatchObject({ state: 'cancelled', framesDone: 17 });
    expect(storeError(() => s.runs.finish(r.id, 'done')).code).toBe('NOT_FOUND');
    const crashed = s.runs.start({ kind: 'export' });
    expect(s.runs.markInterrupted()).toBe(1);
    expect(s.runs.get(crashed.id)?.state).toBe('interrupted');
    expect(s.runs.list(1)[0]!.id).toBe(crashed.id);
  });

  it('settings: JSON values by key', () => {
    s.settings.set('lastPack', 'sam2.1-tiny');
    s.settings.set('view', { zoom: 2 });
    expect(s.settings.get('lastPack')).toBe('sam2.1-tiny');
    expect(s.settings.get('view')).toEqual({ zoom: 2 });
    s.settings.delete('view');
    expect(s.settings.get('view')).toBeNull();
  });

  it('everything needed to reopen survives close and open', () => {
    const o = s.objects.add({ name: 'keep', label: 'cat' });
    s.prompts.set({ objectId: o.id, frame: 5, points: [[4, 4]], labels: [1] });
    s.masks.putMany([4, 5, 6].map((frame) => ({ objectId: o.id, frame, rle: rect(8, 8, 0, 0, frame, 1), score: frame - 5, source: 'propagated' as const })));
    s.close();
    s = openProjectStore(dir, { create: false });
    expect(s.objects.get(o.id)).toMatchObject({ name: 'keep', label: 'cat' });
    const track = s.trackSummaries().find((x) => x.objectId === o.id)!;
    expect(track).toEqual({ objectId: o.id, frames: [4, 5, 6], scores: [-1, 0, 1], promptFrames: [5] });
    expect(s.settings.get('lastPack')).toBe('sam2.1-tiny');
    expect(s.videos.main()?.path).toBe('/z/a.mp4');
  });
});

describe('file-system trouble', () => {
  const mountable = canMountTmpfs();

  it.skipIf(!mountable)('a project on a read-only disk gives NOT_WRITABLE (needs root to mount tmpfs)', () => {
    const at = freshDir();
    mkdirSync(at);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', at]);
    try {
      const s = openProjectStore(join(at, 'proj'));
      s.objects.add({ name: 'before' });
      s.checkpoint();
      s.close();
      execFileSync('mount', ['-o', 'remount,ro', at]);
      const e = storeError(() => openProjectStore(join(at, 'proj')));
      expect(e.code).toBe('NOT_WRITABLE');
      expect(e.message).toMatch(/cannot be written/);
      expect(storeError(() => openProjectStore(join(at, 'other'))).code).toBe('NOT_WRITABLE');
    } finally {
      execFileSync('umount', [at]);
    }
  });

  it.skipIf(!mountable)('a full disk gives DISK_FULL and keeps what was saved (needs root to mount tmpfs)', () => {
    const at = freshDir();
    mkdirSync(at);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', at]);
    const s = openProjectStore(at);
    try {
      const o = s.objects.add({ name: 'saved' });
      let frame = 0;
      let err: unknown = null;
      // Incompressible masks until the disk is full.
      const noisy = () =>
        encodeMask(
          new Uint8Array(64 * 64).map(() => (Math.random() < 0.5 ? 1 : 0)),
          64,
          64,
        );
      for (let i = 0; i < 200 && !err; i++) {
        try {
          s.masks.putMany(Array.from({ length: 10 }, () => ({ objectId: o.id, frame: frame++, rle: noisy(), score: 1, source: 'propagated' as const })));
        } catch (e) {
          err = e;
        }
      }
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('DISK_FULL');
      expect(s.objects.get(o.id)?.name).toBe('saved');
      expect(s.masks.count() % 10).toBe(0); // whole batches only
    } finally {
      s.close();
      execFileSync('umount', [at]);
    }
  });
});
