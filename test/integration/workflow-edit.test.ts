// Hand edits and imports through AppServices on the micro pack: a painted mask is the frame's
// mask prompt stored exactly as painted and tracks like the same mask sent through the API or
// imported as a prompt; exclusive edits take the pixels from other objects in one undo step;
// refining a painted mask with a click; fixed imported masks survive propagation; locked
// objects refuse edits and imports; annotations.import runs as a job and a bad file imports
// nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameMasks, ImportReport, JobSnapshot, ObjectInfo, ProjectState } from '../../src-main/api/contract';
import { columnMajorCounts, encodeCocoCounts } from '../../src-main/core/masks/coco-rle';
import { decodeMask, encodeMask, rleBbox } from '../../src-main/core/masks/rle';
import { fillPolygon, paintStroke } from '../../src-main/shared/raster';
import { harness, squareAt, W, H, type Session } from './workflow-harness';

const h = harness('maskline-workflow-edit-');
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 12);

/** The square on frame 0 painted by hand: a polygon round it and a brush stroke along its edge. */
function paintedSquare(): Uint8Array {
  const t = { mask: new Uint8Array(W * H), width: W, height: H };
  const [cx, cy] = squareAt(0);
  fillPolygon(t, [cx - 28, cy - 28, cx + 28, cy - 28, cx + 28, cy + 28, cx - 28, cy + 28], 1);
  paintStroke(
    t,
    [
      [cx - 30, cy + 30],
      [cx + 30, cy + 30],
    ],
    4,
    1,
  );
  return t.mask;
}

function cocoOf(mask: Uint8Array, frame: number): string {
  const counts = columnMajorCounts(mask, W, H, rleBbox(encodeMask(mask, H, W)));
  return JSON.stringify({
    images: [{ id: 1, frame_index: frame, file_name: `${frame}.jpg`, width: W, height: H }],
    categories: [{ id: 1, name: 'square' }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, object_id: 1, segmentation: { size: [H, W], counts: encodeCocoCounts(counts) } }],
  });
}

async function propagated(x: Session, frame = 0): Promise<FrameMasks[]> {
  const { jobId } = await x.call<{ jobId: string }>('track.propagate', { frame, direction: 'forward' });
  const j = await x.job(jobId);
  expect(j.state, j.error ?? '').toBe('done');
  const out: FrameMasks[] = [];
  for (let f = 0; f < 12; f++) out.push(await x.call<FrameMasks>('masks.frame', { frame: f }));
  return out;
}

describe('painted masks', () => {
  it('are stored exactly as painted and track like the same mask through the API or imported as a prompt', async () => {
    const painted = encodeMask(paintedSquare(), H, W);
    const a = h.services('paint');
    await a.openReady(clip);
    await a.call<ObjectInfo>('objects.add', {});
    const r = await a.call<FrameMasks>('prompts.addMask', { objectId: 1, frame: 0, rle: painted });
    expect(r.masks[0]!.rle).toEqual(painted);
    expect((await a.call<ProjectState>('project.state')).prompts).toEqual([expect.objectContaining({ frame: 0, hasMask: true, points: [] })]);
    const viaApi = await propagated(a);
    expect(viaApi[0]!.masks[0]!.rle).toEqual(painted);
    expect(viaApi[6]!.masks[0]!.source).toBe('propagated');

    // the same mask imported as a prompt (a COCO file) into a fresh project of the same video
    const b = h.services('imported');
    await b.openReady(clip, join(h.root, 'imported-project'));
    const file = join(h.root, 'painted.json');
    writeFileSync(file, cocoOf(paintedSquare(), 0));
    const report = await b.call<ImportReport>('annotations.import', { format: 'coco', path: file, as: 'prompts' });
    expect(report).toMatchObject({ stored: 1, objects: [{ id: 1, name: 'Object 1', label: 'square', created: true, masks: 1 }] });
    expect(b.s.jobs.list().find((j: JobSnapshot) => j.kind === 'import')).toMatchObject({ state: 'done', unit: 'files' });
    const viaImport = await propagated(b);
    expect(viaImport.map((f) => f.masks.map((m) => [m.rle, m.score]))).toEqual(viaApi.map((f) => f.masks.map((m) => [m.rle, m.score])));
    await a.s.shutdown();
    await b.s.shutdown();
  });

  it('exclusive takes the painted pixels from other objects, one undo step; refine with a click; locked refuses', async () => {
    const x = h.services('exclusive');
    await x.openReady(clip);
    await x.call('objects.add', {});
    await x.call('objects.add', {});
    const left = new Uint8Array(W * H);
    paintStroke(
      { mask: left, width: W, height: H },
      [
        [40, 120],
        [120, 120],
      ],
      40,
      1,
    );
    const right = new Uint8Array(W * H);
    paintStroke(
      { mask: right, width: W, height: H },
      [
        [100, 120],
        [200, 120],
      ],
      40,
      1,
    );
    await x.call('prompts.addMask', { objectId: 2, frame: 3, rle: encodeMask(right, H, W) });
    // without exclusive, object 2 keeps its pixels
    await x.call('prompts.addMask', { objectId: 1, frame: 3, rle: encodeMask(left, H, W) });
    expect((await x.call<FrameMasks>('masks.frame', { frame: 3 })).masks[1]!.rle).toEqual(encodeMask(right, H, W));
    const ex = await x.call<FrameMasks>('prompts.addMask', { objectId: 1, frame: 3, rle: encodeMask(left, H, W), exclusive: true });
    const rightNow = decodeMask(ex.masks[1]!.rle);
    for (let i = 0; i < W * H; i++) expect(rightNow[i]).toBe(right[i] && !left[i] ? 1 : 0);
    expect(ex.masks[0]!.rle).toEqual(encodeMask(left, H, W));
    expect((await x.call<ProjectState>('project.state')).undoLabel).toBe('Set mask on frame 3');
    await x.call('history.undo', {});
    expect((await x.call<FrameMasks>('masks.frame', { frame: 3 })).masks[1]!.rle).toEqual(encodeMask(right, H, W));
    await x.call('history.redo', {});
    expect((await x.call<FrameMasks>('masks.frame', { frame: 3 })).masks[1]!.rle).toEqual(ex.masks[1]!.rle);

    // refine: a click on the painted frame (the painted mask's logits are SAM 2's mask input)
    const refined = await x.call<{ frame: FrameMasks }>('prompts.add', { objectId: 1, frame: 3, points: [[60, 120]], labels: [1] });
    expect(refined.frame.masks[0]!.rle).not.toEqual(ex.masks[0]!.rle);
    expect((await x.call<ProjectState>('project.state')).prompts.find((p) => p.objectId === 1 && p.frame === 3)).toMatchObject({
      hasMask: false,
      points: [[60, 120]],
    });
    await x.call('history.undo', {});
    expect((await x.call<FrameMasks>('masks.frame', { frame: 3 })).masks[0]!.rle).toEqual(ex.masks[0]!.rle);

    await x.call('objects.update', { id: 1, locked: true });
    expect((await x.fail('prompts.addMask', { objectId: 1, frame: 3, rle: encodeMask(left, H, W) })).code).toBe('LOCKED');
    const file = join(h.root, 'onto-locked.json');
    writeFileSync(file, cocoOf(left, 4));
    expect(await x.fail('annotations.import', { format: 'coco', path: file, as: 'fixed' })).toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/Object 1 is locked/),
    });
    await x.s.shutdown();
  });
});

describe('imports through the API', () => {
  it('fixed masks are shown and never rewritten by propagation; bad input imports nothing', async () => {
    const x = h.services('fixed');
    await x.openReady(clip);
    const fixed = new Uint8Array(W * H);
    fillPolygon({ mask: fixed, width: W, height: H }, [10, 10, 60, 10, 60, 50, 10, 50], 1);
    const file = join(h.root, 'fixed.json');
    writeFileSync(file, cocoOf(fixed, 5));
    await x.call<ImportReport>('annotations.import', { format: 'coco', path: file, as: 'fixed' });
    expect((await x.call<FrameMasks>('masks.frame', { frame: 5 })).masks).toEqual([
      expect.objectContaining({ objectId: 1, source: 'fixed', rle: encodeMask(fixed, H, W) }),
    ]);
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    const after = await propagated(x);
    expect(after[5]!.masks[0]).toMatchObject({ source: 'fixed', rle: encodeMask(fixed, H, W) });
    expect(after[6]!.masks[0]!.source).toBe('propagated');

    const before = await x.call<ProjectState>('project.state');
    const bad = join(h.root, 'bad.json');
    writeFileSync(bad, cocoOf(fixed, 40));
    expect(await x.fail('annotations.import', { format: 'coco', path: bad })).toMatchObject({
      code: 'IMPORT_BAD_INPUT',
      message: expect.stringMatching(/images\[0\] \(40\.jpg\): frame 40 is past the end of the video \(its last frame is 11\)/),
    });
    expect(await x.fail('annotations.import', { format: 'coco', path: 'bad.json' })).toMatchObject({ code: 'BAD_ARGS' });
    expect(await x.fail('annotations.import', { format: 'coco', path: join(h.root, 'missing.json') })).toMatchObject({ code: 'FILE_NOT_FOUND' });
    const now = await x.call<ProjectState>('project.state');
    expect(now.objects).toEqual(before.objects);
    expect(now.tracks).toEqual(before.tracks);
    await x.s.shutdown();
  });
});
