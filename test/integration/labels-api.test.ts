// Zero-shot labels through AppServices (the API every adapter serves) on the micro SAM pack, a
// generated video and clip-micro: label models (import, active, variant), the project label set,
// "Suggest label" equal to labelling the track directly, "Label all objects" as a job (undoable
// labels, frames used recorded, cancel), and segment-everything proposals labelled + kept by label.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  JobSnapshot,
  LabelModelsState,
  LabelSetInfo,
  LabelSuggestion,
  ObjectInfo,
  Proposal,
  ProposalLabel,
  ProjectState,
} from '../../src-main/api/contract';
import { ClipModel, labelTracks, normalizeLabelSet, pickTrackFrames, ZeroShotLabeller } from '../../src-main/core/labels';
import { FolderFrameSource } from '../../src-main/core/sam2/frame-source-folder';
import { keepByLabel } from '../../src-main/services/labels-service';
import { CLIP_MICRO } from '../unit/labels/clip-golden';
import { harness, squareAt, type Session } from './workflow-harness';

const h = harness('maskline-labels-api-');
const clip = h.video('clip.mp4', 10);
const LABELS = ['white square', 'dark background', 'red circle'];
let x: Session;

beforeAll(async () => {
  x = h.services('labels');
  await x.openReady(clip);
});
afterAll(async () => {
  await x?.s.shutdown();
  h.cleanup();
});

async function done(jobId: string): Promise<JobSnapshot> {
  const j = await x.job(jobId);
  expect(j.state, j.error ?? '').toBe('done');
  return j;
}

describe('labels.* through the services', () => {
  it('without a model or a label set: clear errors', async () => {
    await x.call('objects.add', {});
    expect((await x.fail('labels.labelAll', {})).code).toBe('NO_LABEL_SET');
    await x.call('labels.setSet', { labels: LABELS, templates: [] });
    expect((await x.fail('labels.suggest', { objectId: 1 })).code).toBe('NO_LABEL_MODEL');
    expect((await x.fail('labels.setSet', { labels: ['a'], templates: ['no placeholder'] })).code).toBe('BAD_ARGS');
    expect((await x.fail('labels.importModel', { dir: 'relative/clip' })).code).toBe('BAD_ARGS');
  });

  it('imports a CLIP folder: listed, first one active with its first variant; bad variant refused', async () => {
    const m = await x.call<{ id: string; variants: string[] }>('labels.importModel', { dir: CLIP_MICRO });
    expect(m).toMatchObject({ id: 'clip-micro', variants: ['fp32'] });
    const s = await x.call<LabelModelsState>('labels.models');
    expect(s.active).toEqual({ id: 'clip-micro', variant: 'fp32' });
    expect(s.models.map((y) => y.id)).toEqual(['clip-micro']);
    expect((await x.fail('labels.selectModel', { id: 'clip-micro', variant: 'fp16' })).message).toMatch(/no fp16 variant/);
    expect((await x.fail('labels.importModel', { dir: join(h.root, 'nope') })).message).toMatch(/not a folder/);
  });

  it('the label set round-trips and is saved in the project', async () => {
    const set = await x.call<LabelSetInfo>('labels.setSet', {
      labels: [' white square', 'dark background', 'red circle', 'White Square'],
      templates: ['a photo of a {label}.', 'a picture of a {label}.'],
    });
    expect(set).toEqual({
      labels: LABELS,
      templates: ['a photo of a {label}.', 'a picture of a {label}.'],
      crop: { margin: 0, greyOutside: false, padSquare: true },
    });
    expect(await x.call<LabelSetInfo>('labels.getSet')).toEqual(set);
  });

  it('suggest: top 3 from up to K frames of the track, equal to labelling the track directly', async () => {
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    await done((await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' })).jobId);
    const s = await x.call<LabelSuggestion>('labels.suggest', { objectId: 1, framesPerTrack: 3 });
    expect(s.top).toHaveLength(3);
    expect(s.top.map((t) => t.label).sort()).toEqual([...LABELS].sort());
    expect(s.top[0]!.probability).toBeGreaterThanOrEqual(s.top[1]!.probability);
    const track = (await x.call<ProjectState>('project.state')).tracks.find((t) => t.objectId === 1)!;
    expect(s.frames).toEqual(
      pickTrackFrames(
        track.frames.map((frame, i) => ({ frame, score: track.scores[i]!, area: 1 })),
        3,
      ).map((p) => p.frame),
    );
    // the same computation in this thread, on the same frame cache
    const labeller = new ZeroShotLabeller(await ClipModel.open(CLIP_MICRO, { threads: 1 }));
    const src = await FolderFrameSource.open(x.s.current!.video.cache.dir);
    try {
      const [direct] = await labelTracks(
        labeller,
        normalizeLabelSet(LABELS, ['a photo of a {label}.', 'a picture of a {label}.']),
        [1],
        {
          masks: () =>
            s.frames.map((f) => {
              const m = x.s.current!.store.masks.get(1, f)!;
              return { frame: f, score: m.score, area: m.area, rle: m.rle };
            }),
          readFrame: (f) => src.read(f),
        },
        { framesPerTrack: 3 },
      );
      expect(direct!.ranked[0]!.label).toBe(s.top[0]!.label);
      expect(Math.abs(direct!.ranked[0]!.probability - s.top[0]!.probability)).toBeLessThan(1e-6);
    } finally {
      await src.close();
      await labeller.dispose();
    }
    // nothing written by a suggestion
    expect((await x.call<ProjectState>('project.state')).objects[0]!.label).toBe('');
  });

  it('label all: a job with progress that labels the unlabelled objects (undoable) and records the frames used', async () => {
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 2, frame: 0, points: [[10, 10]], labels: [1] });
    await x.call('objects.update', { id: 2, label: 'kept as is' });
    const j = await done((await x.call<{ jobId: string }>('labels.labelAll', { framesPerTrack: 2 })).jobId);
    expect(j).toMatchObject({ kind: 'labels', unit: 'crops', result: { labelled: 1, objects: 1 } });
    expect(j.done).toBe(j.total);
    const objs = (await x.call<ProjectState>('project.state')).objects;
    expect(LABELS).toContain(objs.find((o) => o.id === 1)!.label);
    expect(objs.find((o) => o.id === 2)!.label).toBe('kept as is');
    const info = await x.call<Record<string, { frames: number[]; confidence: number }>>('labels.info');
    expect(info['1']!.frames).toHaveLength(2);
    await x.call('history.undo');
    expect((await x.call<ProjectState>('project.state')).objects.find((o) => o.id === 1)!.label).toBe('');
  });

  it('label all can be cancelled: nothing is labelled', async () => {
    const { jobId } = await x.call<{ jobId: string }>('labels.labelAll', {});
    await x.call('jobs.cancel', { id: jobId });
    const j = await x.job(jobId);
    expect(j.state).toBe('cancelled');
    expect((await x.call<ProjectState>('project.state')).objects.find((o) => o.id === 1)!.label).toBe('');
  });

  it('segment everything: proposals labelled, "keep all <label>" makes objects with that label', async () => {
    await done((await x.call<{ jobId: string }>('segment.everything', { frame: 3, pointsPerSide: 4, predIouThresh: 0, stabilityScoreThresh: 0 })).jobId);
    const proposals = await x.call<Proposal[]>('segment.proposals', { frame: 3 });
    const labelled = await x.call<ProposalLabel[]>('labels.proposals', { frame: 3 });
    expect(labelled.map((l) => l.proposalId)).toEqual(proposals.map((p) => p.id));
    for (const l of labelled) {
      expect(LABELS).toContain(l.label);
      expect(l.confidence).toBe(l.top[0]!.probability);
    }
    const label = labelled[0]!.label;
    const expectedIds = keepByLabel(labelled, label, 0);
    const before = (await x.call<ProjectState>('project.state')).objects.length;
    const made = await x.call<ObjectInfo[]>('labels.keepLabel', { frame: 3, label, minConfidence: 0 });
    expect(made).toHaveLength(expectedIds.length);
    for (const o of made) expect(o.label).toBe(label);
    expect((await x.call<ProjectState>('project.state')).objects.length).toBe(before + made.length);
    expect((await x.call<Proposal[]>('segment.proposals', { frame: 3 })).map((p) => p.id)).toEqual(
      proposals.map((p) => p.id).filter((id) => !expectedIds.includes(id)),
    );
    expect((await x.fail('labels.keepLabel', { frame: 3, label: 'red circle', minConfidence: 1 })).code).toBe('NO_PROPOSALS');
  });
});

describe('keepByLabel (pure)', () => {
  it.each([
    ['by label, in list order', 'cat', 0, [1, 3]],
    ['minimum confidence', 'cat', 0.6, [3]],
    ['no match', 'bird', 0, []],
  ])('%s', (_n, label, min, ids) => {
    const l = (proposalId: number, lab: string, confidence: number): ProposalLabel => ({ proposalId, label: lab, confidence, top: [] });
    expect(keepByLabel([l(1, 'cat', 0.5), l(2, 'dog', 0.9), l(3, 'cat', 0.7)], label as string, min as number)).toEqual(ids);
  });
});
