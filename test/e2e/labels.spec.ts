// Zero-shot labels in the browser (issue 11) on the micro SAM 2.1 pack and clip-micro: import the
// CLIP folder, set a label set, Suggest label for an object and apply one, Label all objects,
// label the segment-everything proposals and keep all of one label, then export COCO whose
// categories are the label set. Each UI step is checked against what the services hold.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobSnapshot, ObjectInfo, ProjectState, ProposalLabel } from '../../src-main/api/contract';
import { makeVideo } from '../helpers/make-video';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { openVideo } from './scenario';
import { apiCall, shot } from './workflow-steps';

test.use({ models: MICRO_PACK });

const CLIP_MICRO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/clip-micro');
const LABELS = ['white square', 'dark background', 'red circle'];

test('labels: import a CLIP folder, label set, suggest + apply, label all, label proposals and keep by label, COCO categories', async ({ page, host, workDir }, info) => {
  test.setTimeout(180_000);
  const video = makeVideo(join(workDir, 'shapes.mp4'), { frames: 8, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const panel = page.getByTestId('labels-panel');
  await expect(panel).toBeVisible();

  // the label model
  await page.getByTestId('label-model-dir').fill(CLIP_MICRO);
  await page.getByTestId('label-model-import').click();
  await expect(page.getByTestId('label-model-active')).toHaveText('Active: clip-micro (fp32)', { timeout: 30_000 });

  // the label set, one per line, saved in the project
  await page.getByTestId('label-set').fill(LABELS.join('\n'));
  await page.getByTestId('label-set-save').click();
  await expect.poll(async () => (await apiCall<{ labels: string[] }>(page, host.token, 'labels.getSet', {})).labels).toEqual(LABELS);

  // two objects with masks (set up through the API: the prompting UI has its own specs)
  for (const [x, y] of [[70, 120], [10, 10]]) {
    const o = await apiCall<ObjectInfo>(page, host.token, 'objects.add', {});
    await apiCall(page, host.token, 'prompts.add', { objectId: o.id, frame: 0, points: [[x, y]], labels: [1] });
  }
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects.length).toBe(2);

  // Suggest label for the selected object (the first): top 3 with the frames used; Apply one
  await page.getByTestId('label-suggest').click();
  const list = page.getByTestId('label-suggestions');
  await expect(list.locator('li')).toHaveCount(3, { timeout: 30_000 });
  await expect(list).toHaveAttribute('data-frames', '0');
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
  await expect.poll(async () => (await apiCall<JobSnapshot[]>(page, host.token, 'jobs.list', {})).find((j) => j.id === jobId)?.state, { timeout: 30_000 }).toBe('done');
  const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8')) as { categories: { id: number; name: string }[]; objects: { id: number; category_id: number }[] };
  expect(coco.categories.map((c) => c.name)).toEqual(LABELS);
  for (const o of after) expect(coco.objects.find((x) => x.id === o.id)!.category_id).toBe(LABELS.indexOf(o.label) + 1);
});
