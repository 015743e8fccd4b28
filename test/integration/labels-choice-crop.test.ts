// Label models and crop options through AppServices (docs/labels.md): the variant chosen is the
// one labelling uses, remembered per project like its SAM pack (the project's choice over the
// app's last one, which a fresh app starts with), removing an imported model (never a folder put
// there by hand), and the crop options: saved with the label set, used by suggest / label all /
// proposal labelling (what was used is reported and equals labelling directly with them).
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSnapshot, LabelModelsState, LabelSetInfo, LabelSuggestion, ObjectLabelRecord, ProposalLabel } from '../../src-main/api/contract';
import { ClipModel, labelTracks, normalizeLabelSet, ZeroShotLabeller } from '../../src-main/core/labels';
import { SETTING_KEYS } from '../../src-main/core/store';
import { FolderFrameSource } from '../../src-main/core/sam2/frame-source-folder';
import { CLIP_MICRO } from '../unit/labels/clip-golden';
import { harness, squareAt, type Session } from './workflow-harness';

const h = harness('maskline-labels-choice-');
const v1 = h.video('one.mp4', 6);
const v2 = h.video('two.mp4', 6);
const P1 = join(h.root, 'project-one');
const P2 = join(h.root, 'project-two');
const LABELS = ['white square', 'dark background', 'red circle'];
let x: Session;
let withVariants: string;

beforeAll(async () => {
  // a CLIP folder with a quantized variant beside fp32 (the same graphs under the variant's names)
  withVariants = join(h.root, 'src', 'clip-variants');
  mkdirSync(join(h.root, 'src'));
  cpSync(CLIP_MICRO, withVariants, { recursive: true });
  for (const t of ['vision', 'text']) cpSync(join(withVariants, `onnx/${t}_model.onnx`), join(withVariants, `onnx/${t}_model_quantized.onnx`));
  x = h.services('data');
  await x.openReady(v1, P1);
});
afterAll(async () => {
  await x?.s.shutdown();
  h.cleanup();
});

const active = async (s = x) => (await s.call<LabelModelsState>('labels.models')).active;

describe('label model and variant: chosen, used, remembered per project', () => {
  it('import, choose a variant: the project remembers it, the app defaults to the last choice', async () => {
    await x.call('labels.importModel', { dir: withVariants });
    const listed = (await x.call<LabelModelsState>('labels.models')).models;
    expect(listed).toMatchObject([{ id: 'clip-variants', variants: ['fp32', 'quantized'], installedByApp: true }]);
    expect(await active()).toEqual({ id: 'clip-variants', variant: 'fp32' });
    expect((await x.call<LabelModelsState>('labels.selectModel', { id: 'clip-variants', variant: 'quantized' })).active).toEqual({
      id: 'clip-variants',
      variant: 'quantized',
    });
    expect(x.s.current!.store.settings.get(SETTING_KEYS.lastLabelModel)).toEqual({ id: 'clip-variants', variant: 'quantized' });

    // labelling opens the chosen variant
    await x.call('labels.setSet', { labels: LABELS, templates: [] });
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect((await x.call<LabelSuggestion>('labels.suggest', { objectId: 1 })).top).toHaveLength(3);
    expect((x.s.labels as unknown as { opened: { id: string; variant: string } }).opened).toMatchObject({ id: 'clip-variants', variant: 'quantized' });

    // a second model and a second project: the app's last choice until that project chooses its own
    await x.call('labels.importModel', { dir: CLIP_MICRO });
    expect(await active()).toEqual({ id: 'clip-variants', variant: 'quantized' });
    await x.openReady(v2, P2);
    expect(await active()).toEqual({ id: 'clip-variants', variant: 'quantized' });
    await x.call('labels.selectModel', { id: 'clip-micro', variant: 'fp32' });
    // back in the first project: its own choice, not the app's last
    await x.openReady(v1, P1);
    expect(await active()).toEqual({ id: 'clip-variants', variant: 'quantized' });
  });

  it('a fresh app on the same data: the last choice without a project, each project its own', async () => {
    const y = h.services('data');
    try {
      expect(await active(y)).toEqual({ id: 'clip-micro', variant: 'fp32' });
      await y.openReady(v1, P1);
      expect(await active(y)).toEqual({ id: 'clip-variants', variant: 'quantized' });
    } finally {
      await y.s.shutdown();
    }
  });

  it('remove: refused while Label all uses the model; then the imported model goes (its worker let go first); the choice falls back; a hand-copied folder stays', async () => {
    const { jobId } = await x.call<{ jobId: string }>('labels.labelAll', {});
    const busy = await x.fail('labels.removeModel', { id: 'clip-variants' });
    expect(busy.code).toBe('BUSY');
    await x.job(jobId);
    expect((await x.call<LabelModelsState>('labels.models')).models.map((m) => m.id)).toContain('clip-variants');
    const s = await x.call<LabelModelsState>('labels.removeModel', { id: 'clip-variants' });
    expect(s.models.map((m) => m.id)).toEqual(['clip-micro']);
    expect(s.active).toEqual({ id: 'clip-micro', variant: 'fp32' });
    // labelling goes on with what is left
    expect((await x.call<LabelSuggestion>('labels.suggest', { objectId: 1 })).top).toHaveLength(3);
    cpSync(CLIP_MICRO, join(x.dataDir, 'label-models', 'by-hand'), { recursive: true });
    const listed = (await x.call<LabelModelsState>('labels.models')).models.find((m) => m.id === 'by-hand');
    expect(listed).toMatchObject({ installedByApp: false, problem: null });
    const err = await x.fail('labels.removeModel', { id: 'by-hand' });
    expect(err.code).toBe('LABEL_MODEL_FOREIGN');
    expect(err.message).toMatch(/not installed by Maskline/);
    expect((await x.fail('labels.removeModel', { id: 'nope' })).code).toBe('LABEL_MODEL_NOT_FOUND');
  });
});

describe('crop options: per project, with the label set, used by every labelling', () => {
  const direct = async (frames: number[], crop: { margin: number; greyOutside: boolean; padSquare: boolean }) => {
    const labeller = new ZeroShotLabeller(await ClipModel.open(CLIP_MICRO, { threads: 1 }));
    const src = await FolderFrameSource.open(x.s.current!.video.cache.dir);
    try {
      const [r] = await labelTracks(
        labeller,
        normalizeLabelSet(LABELS),
        [1],
        {
          masks: () =>
            frames.map((f) => {
              const m = x.s.current!.store.masks.get(1, f)!;
              return { frame: f, score: m.score, area: m.area, rle: m.rle };
            }),
          readFrame: (f) => src.read(f),
        },
        { framesPerTrack: frames.length, crop },
      );
      return r!.ranked;
    } finally {
      await src.close();
      await labeller.dispose();
    }
  };

  it('defaults, saved with the set, kept by setSet, back after reopening; bad values refused', async () => {
    expect((await x.call<LabelSetInfo>('labels.getSet')).crop).toEqual({ margin: 0, greyOutside: false, padSquare: true });
    expect((await x.call<LabelSetInfo>('labels.setCrop', { crop: { margin: 0.5, greyOutside: true } })).crop).toEqual({
      margin: 0.5,
      greyOutside: true,
      padSquare: true,
    });
    expect((await x.call<LabelSetInfo>('labels.setSet', { labels: LABELS, templates: [] })).crop).toEqual({ margin: 0.5, greyOutside: true, padSquare: true });
    expect((await x.call<LabelSetInfo>('labels.setCrop', { crop: { padSquare: false } })).crop).toEqual({ margin: 0.5, greyOutside: true, padSquare: false });
    expect((await x.fail('labels.setCrop', { crop: { margin: 3 } })).code).toBe('BAD_ARGS');
    expect((await x.fail('labels.suggest', { objectId: 1, crop: { margin: -1 } })).code).toBe('BAD_ARGS');
    await x.openReady(v2, P2);
    expect((await x.call<LabelSetInfo>('labels.getSet')).crop).toEqual({ margin: 0, greyOutside: false, padSquare: true });
    await x.openReady(v1, P1);
    expect(await x.call<LabelSetInfo>('labels.getSet')).toEqual({
      labels: LABELS,
      templates: ['a photo of a {label}.'],
      crop: { margin: 0.5, greyOutside: true, padSquare: false },
    });
  });

  it('suggest uses the project options, or the request own; equal to labelling directly with them', async () => {
    const saved = await x.call<LabelSuggestion>('labels.suggest', { objectId: 1 });
    expect(saved.crop).toEqual({ margin: 0.5, greyOutside: true, padSquare: false });
    const tight = await x.call<LabelSuggestion>('labels.suggest', { objectId: 1, crop: { margin: 0, greyOutside: false, padSquare: true } });
    expect(tight.crop).toEqual({ margin: 0, greyOutside: false, padSquare: true });
    for (const s of [saved, tight]) {
      const d = await direct(s.frames, s.crop);
      for (const t of s.top) expect(Math.abs(d.find((r) => r.label === t.label)!.probability - t.probability)).toBeLessThan(1e-6);
    }
    // the options change what CLIP sees
    const p = (s: LabelSuggestion) => s.top.find((t) => t.label === LABELS[0])!.probability;
    expect(Math.abs(p(saved) - p(tight))).toBeGreaterThan(1e-4);
  });

  it('label all and proposal labelling use them too (recorded per object)', async () => {
    // the remove test's Label all labelled the object: unlabelled again
    await x.call('objects.update', { id: 1, label: '' });
    const { jobId } = await x.call<{ jobId: string }>('labels.labelAll', { crop: { margin: 0.1 } });
    const j: JobSnapshot = await x.job(jobId);
    expect(j.state, j.error ?? '').toBe('done');
    expect(j.result).toMatchObject({ crop: { margin: 0.1, greyOutside: true, padSquare: false } });
    expect((await x.call<Record<string, ObjectLabelRecord>>('labels.info'))['1']!.crop).toEqual({ margin: 0.1, greyOutside: true, padSquare: false });
    const seg = await x.call<{ jobId: string }>('segment.everything', { frame: 0, pointsPerSide: 4, predIouThresh: 0, stabilityScoreThresh: 0 });
    expect((await x.job(seg.jobId)).state).toBe('done');
    const a = await x.call<ProposalLabel[]>('labels.proposals', { frame: 0 });
    const b = await x.call<ProposalLabel[]>('labels.proposals', { frame: 0, crop: { margin: 0, greyOutside: false, padSquare: true } });
    expect(a.length).toBeGreaterThan(0);
    expect(a.map((l) => l.proposalId)).toEqual(b.map((l) => l.proposalId));
    expect(a.some((l, i) => Math.abs(l.confidence - b[i]!.confidence) > 1e-4)).toBe(true);
  });

  it('a saved crop that no longer passes the checks (an edited database) gives the defaults, never blocks labelling', async () => {
    const settings = x.s.current!.store.settings;
    settings.set('labelSet', { labels: LABELS, templates: ['a photo of a {label}.'], crop: { margin: 9, greyOutside: 'yes' } });
    expect((await x.call<LabelSetInfo>('labels.getSet')).crop).toEqual({ margin: 0, greyOutside: false, padSquare: true });
    expect((await x.call<LabelSuggestion>('labels.suggest', { objectId: 1 })).crop).toEqual({ margin: 0, greyOutside: false, padSquare: true });
  });
});
