// Zero-shot labels in the browser (issue 11) on the micro SAM 2.1 pack and clip-micro: import the
// CLIP folder on the Models screen (a bad one fails verbatim) and pick its quantized variant, set
// a label set and crop options, Suggest label for an object and apply one, Label all objects,
// label the segment-everything proposals, hover one on the frame (its label beside the pointer)
// and keep all of one label, export COCO whose categories are the label set, and remove the
// model again. Each UI step is checked against what the services hold and used.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  JobSnapshot,
  LabelModelsState,
  LabelSetInfo,
  ObjectInfo,
  ObjectLabelRecord,
  ProjectState,
  Proposal,
  ProposalLabel,
} from '../../src-main/api/contract';
import { makeVideo } from '../helpers/make-video';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { openVideo } from './scenario';
import { apiCall, maskPixel, shot, videoToPage } from './workflow-steps';

test.use({ models: MICRO_PACK });

const CLIP_MICRO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/clip-micro');
const LABELS = ['white square', 'dark background', 'red circle'];

test('labels: import a CLIP folder, label set, suggest + apply, label all, label proposals and keep by label, COCO categories', async ({
  page,
  host,
  workDir,
}, info) => {
  test.setTimeout(180_000);
  const video = makeVideo(join(workDir, 'shapes.mp4'), { frames: 8, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const panel = page.getByTestId('labels-panel');
  await expect(panel).toBeVisible();

  // the label model, on the Models screen (the panel links there)
  await expect(page.getByTestId('label-model-none')).toBeVisible();
  await page.getByTestId('label-models-open').click();
  const screen = page.getByTestId('models-screen');
  await expect(screen.getByTestId('label-models-empty')).toBeVisible();
  const junk = join(workDir, 'not clip');
  mkdirSync(junk);
  writeFileSync(join(junk, 'config.json'), JSON.stringify({ model_type: 'bert' }));
  await screen.getByTestId('label-model-import-path').fill(junk);
  await screen.getByTestId('label-model-import').click();
  const importError = screen.getByTestId('label-model-import-error');
  await expect(importError).toContainText(`${junk} is not a usable CLIP folder: config.json in ${junk} has model_type "bert", not "clip"`, { timeout: 30_000 });
  await expect(importError).toHaveAttribute('data-code', 'PACK_FORMAT');
  // a CLIP folder with a quantized variant beside fp32 (the same graphs under the variant's names)
  const clipDir = join(workDir, 'clip-micro');
  cpSync(CLIP_MICRO, clipDir, { recursive: true });
  for (const t of ['vision', 'text']) cpSync(join(clipDir, `onnx/${t}_model.onnx`), join(clipDir, `onnx/${t}_model_quantized.onnx`));
  await screen.getByTestId('label-model-import-path').fill(clipDir);
  await screen.getByTestId('label-model-import').click();
  const row = screen.locator('[data-testid="label-model-row"][data-model-id="clip-micro"]');
  await expect(row.getByTestId('label-model-in-use')).toHaveText('in use · fp32', { timeout: 30_000 });
  await expect(importError).toHaveCount(0);
  await row.getByTestId('label-model-variant').selectOption('quantized');
  await expect(row.getByTestId('label-model-in-use')).toHaveText('in use · quantized');
  expect((await apiCall<LabelModelsState>(page, host.token, 'labels.models', {})).active).toEqual({ id: 'clip-micro', variant: 'quantized' });
  await shot(page, 'labels-0-models-screen.png', info);
  await page.getByTestId('models-close').click();
  await expect(page.getByTestId('label-model-active')).toHaveAttribute('data-variant', 'quantized');

  // the label set, one per line, saved in the project
  await page.getByTestId('label-set').fill(LABELS.join('\n'));
  await page.getByTestId('label-set-save').click();
  await expect.poll(async () => (await apiCall<{ labels: string[] }>(page, host.token, 'labels.getSet', {})).labels).toEqual(LABELS);

  // two objects with masks (set up through the API: the prompting UI has its own specs)
  for (const [x, y] of [
    [70, 120],
    [10, 10],
  ]) {
    const o = await apiCall<ObjectInfo>(page, host.token, 'objects.add', {});
    await apiCall(page, host.token, 'prompts.add', { objectId: o.id, frame: 0, points: [[x, y]], labels: [1] });
  }
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects.length).toBe(2);

  // crop options: saved in the project at once, and what every labelling below uses
  await page.getByTestId('label-crop-margin').fill('25');
  await page.getByTestId('label-crop-margin').press('Tab');
  await page.getByTestId('label-crop-grey').check();
  const CROP = { margin: 0.25, greyOutside: true, padSquare: true };
  await expect.poll(async () => (await apiCall<LabelSetInfo>(page, host.token, 'labels.getSet', {})).crop).toEqual(CROP);

  // Suggest label for the selected object (the first): top 3 with the frames used; Apply one
  await page.getByTestId('label-suggest').click();
  const list = page.getByTestId('label-suggestions');
  await expect(list.locator('li')).toHaveCount(3, { timeout: 30_000 });
  await expect(list).toHaveAttribute('data-frames', '0');
  // the crop the services report they used
  await expect(list.locator('xpath=following-sibling::p[1]')).toContainText('margin 25 %, grey outside, padded to square');
  const chosen = await page.getByTestId('label-apply').first().getAttribute('data-label');
  expect(LABELS).toContain(chosen);
  await page.getByTestId('label-apply').first().click();
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects.find((o) => o.id === 1)?.label).toBe(chosen);
  await shot(page, 'labels-1-suggest.png', info);

  // Label all objects: the other one gets a label from the set
  await page.getByTestId('label-all').click();
  await expect(page.getByTestId('label-all-state')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const objs = (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects;
  expect(LABELS).toContain(objs.find((o) => o.id === 2)!.label);
  expect(objs.find((o) => o.id === 1)!.label).toBe(chosen);
  // what it used, as the services recorded it, and shown for the object
  const record = (await apiCall<Record<string, ObjectLabelRecord>>(page, host.token, 'labels.info', {}))['2']!;
  expect(record).toMatchObject({ label: objs.find((o) => o.id === 2)!.label, frames: [0], crop: CROP });
  await page.locator('[data-testid="object-row"][data-object-id="2"] .meta').click();
  await expect(page.getByTestId('label-record-frames')).toHaveAttribute('data-frames', '0');
  await expect(page.getByTestId('label-record')).toContainText('margin 25 %, grey outside');

  // segment everything, label the proposals, filter by one label and keep them all
  await page.keyboard.press('s');
  await page.getByTestId('segment-density').selectOption('8');
  await page.getByTestId('segment-iou').fill('0');
  await page.getByTestId('segment-stability').fill('0');
  await page.getByTestId('segment-run').click();
  await expect.poll(async () => Number(await page.getByTestId('segment-results').getAttribute('data-count')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByTestId('label-proposals-run').click();
  const plist = page.getByTestId('label-proposal-list');
  await expect.poll(async () => Number(await plist.getAttribute('data-count')), { timeout: 30_000 }).toBeGreaterThan(0);
  const labelled = await apiCall<ProposalLabel[]>(page, host.token, 'labels.proposals', { frame: 0 });
  await expect(plist).toHaveAttribute('data-count', String(labelled.length));

  // hovering a proposal on the frame: its label, confidence and predicted IoU beside the pointer
  const props = await apiCall<Proposal[]>(page, host.token, 'segment.proposals', { frame: 0 });
  const [hx, hy] = await videoToPage(page, ...maskPixel(props.at(-1)!.rle)!);
  await page.mouse.move(hx, hy);
  const layer = page.getByTestId('proposal-canvas');
  await expect(layer).not.toHaveAttribute('data-hover', '');
  const hoverId = Number(await layer.getAttribute('data-hover'));
  const hl = labelled.find((l) => l.proposalId === hoverId)!;
  const tip = page.getByTestId('proposal-tip');
  await expect(tip).toHaveAttribute('data-proposal', String(hoverId));
  await expect(tip).toHaveAttribute('data-label', hl.label);
  await expect(page.getByTestId('proposal-tip-title')).toHaveText(`${hl.label} · ${(100 * hl.confidence).toFixed(1)} %`);
  await expect(tip).toContainText(`IoU ${props.find((p) => p.id === hoverId)!.predictedIou.toFixed(2)}`);
  await shot(page, 'labels-3-hover.png', info);
  await page.mouse.move(5, 5);
  await expect(tip).toHaveCount(0);
  // hovering a row of the list shows that proposal's tip too
  await page.locator(`[data-testid="label-proposal"][data-proposal="${labelled[0]!.proposalId}"]`).hover();
  await expect(tip).toHaveAttribute('data-label', labelled[0]!.label);
  await page.mouse.move(5, 5);

  const label = labelled[0]!.label;
  const n = labelled.filter((p) => p.label === label).length;
  await page.getByTestId('label-filter').selectOption(label);
  await expect(plist).toHaveAttribute('data-count', String(n));
  const before = (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects.length;
  await page.getByTestId('label-keep').click();
  // the objects appear first, their labels a moment later (one object edit each)
  await expect
    .poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects.slice(before).map((o) => o.label), { timeout: 30_000 })
    .toEqual(Array(n).fill(label));
  const after = (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects;
  await shot(page, 'labels-2-proposals.png', info);

  // COCO export: categories are the label set
  const out = join(workDir, 'export');
  const { jobId } = await apiCall<{ jobId: string }>(page, host.token, 'export.run', { formats: ['coco'], outDir: out });
  await expect
    .poll(async () => (await apiCall<JobSnapshot[]>(page, host.token, 'jobs.list', {})).find((j) => j.id === jobId)?.state, { timeout: 30_000 })
    .toBe('done');
  const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8')) as {
    categories: { id: number; name: string }[];
    objects: { id: number; category_id: number }[];
  };
  expect(coco.categories.map((c) => c.name)).toEqual(LABELS);
  for (const o of after) expect(coco.objects.find((x) => x.id === o.id)!.category_id).toBe(LABELS.indexOf(o.label) + 1);

  // remove the model the app imported: gone from the screen, the services and the data folder
  await page.getByTestId('label-models-open').click();
  await screen.locator('[data-testid="label-model-row"][data-model-id="clip-micro"]').getByTestId('label-model-remove').click();
  await expect(screen.getByTestId('label-models-empty')).toBeVisible();
  expect(await apiCall<LabelModelsState>(page, host.token, 'labels.models', {})).toEqual({ models: [], active: null });
});
