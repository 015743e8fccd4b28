// Issue 7's "Segment everything" in the browser, on the micro SAM 2.1 pack. Its random weights
// let nothing through the official thresholds: the panel's funnel says which filter removed them
// and its "Lower thresholds and run again" finds thresholds that let some through (issue 13,
// item 10); the rest of the run uses low ones (as test/integration/amg-micro.test.ts does). Every pixel check compares what the UI drew with
// the proposals and masks the services hold.
import type { Page } from 'playwright/test';
import { join } from 'node:path';
import type { ObjectInfo, ProjectState, Proposal, Rle } from '../../src-main/api/contract';
import { nextObjectColors } from '../../src-main/shared/palette';
import { hitMap, labelColor } from '../../src-renderer/src/lib/proposal-view';
import { hexToRgb } from '../../src-renderer/src/lib/palette';
import { makeVideo } from '../helpers/make-video';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { openVideo } from './scenario';
import { apiCall, maskPixel, objectMask, overlayAt, shot, videoToPage } from './workflow-steps';

test.use({ models: MICRO_PACK });

const FRAMES = 24;
const W = 320;
const H = 240;

type Canvas = {
  width: number;
  height: number;
  getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
  getBoundingClientRect(): { left: number; top: number; width: number };
};

/** RGBA of a canvas (by test id) at a page point. */
async function pixelAt(page: Page, testId: string, x: number, y: number): Promise<number[]> {
  return page.getByTestId(testId).evaluate(
    (el, p) => {
      const c = el as unknown as Canvas;
      const r = c.getBoundingClientRect();
      const k = c.width / r.width;
      return Array.from(c.getContext('2d').getImageData(Math.floor((p.x - r.left) * k), Math.floor((p.y - r.top) * k), 1, 1).data);
    },
    { x, y },
  );
}

async function drawnPixels(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    const c = el as unknown as Canvas;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
}

/** The page point at the centre of video pixel (x, y). */
const at = (page: Page, x: number, y: number) => videoToPage(page, x + 0.5, y + 0.5);

/** A pixel deep inside label `l` of a map (all 8 neighbours carry it too), or null. */
function innerPixel(map: Int32Array, l: number): [number, number] | null {
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      let inside = true;
      for (let dy = -1; dy <= 1 && inside; dy++) for (let dx = -1; dx <= 1; dx++) if (map[(y + dy) * W + x + dx] !== l) inside = false;
      if (inside) return [x, y];
    }
  }
  return null;
}

/** A pixel of the mask with a 4-neighbour outside it (or on the frame's edge): drawn as outline. */
function outlinePixel(rle: Rle): [number, number] | null {
  const m = new Uint8Array(rle.w * rle.h);
  let pos = 0;
  rle.counts.forEach((c, k) => {
    if (k & 1) m.fill(1, pos, pos + c);
    pos += c;
  });
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const x = i % rle.w,
      y = Math.floor(i / rle.w);
    if (x === 0 || y === 0 || x === rle.w - 1 || y === rle.h - 1 || !m[i - 1] || !m[i + 1] || !m[i - rle.w] || !m[i + rle.w]) return [x, y];
  }
  return null;
}

const near = (got: number[], want: number[], tol = 3) => want.every((v, i) => Math.abs(got[i]! - v) <= tol);

/**
 * Waits until the proposal canvas shows a colour that `ok` accepts at video pixel (x, y). The
 * viewer may still be settling into a new size (a panel just appeared), so the page point is taken
 * afresh from the overlay's view at each try; it fails if the canvas never shows the colour.
 */
async function expectProposalPixel(page: Page, [x, y]: [number, number], ok: (rgba: number[]) => boolean, what: string): Promise<void> {
  await expect
    .poll(async () => {
      const got = await pixelAt(page, 'proposal-canvas', ...(await at(page, x, y)));
      return ok(got) ? what : `${what} at ${x},${y}: ${got}`;
    })
    .toBe(what);
}

test('segment everything: run with low thresholds, label view, keep two, add them as objects, propagate', async ({ page, host, workDir }, info) => {
  const video = makeVideo(join(workDir, 'shapes.mp4'), { frames: FRAMES, fps: 25, width: W, height: H, pattern: 'shapes' });
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('video-meta')).toContainText(`${FRAMES} frames`, { timeout: 30_000 });
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 15_000 });
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

  // S opens the panel with the official defaults and the cost of the default density
  await page.keyboard.press('s');
  const panel = page.getByTestId('segment-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('segment-open')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('segment-density')).toHaveValue('32');
  await expect(page.getByTestId('segment-iou')).toHaveValue('0.8');
  await expect(page.getByTestId('segment-estimate')).toHaveText(/^1,024 points · /);

  // a dense run can be cancelled: the job says so and nothing is proposed
  await page.getByTestId('segment-density').selectOption('64');
  await expect(page.getByTestId('segment-estimate')).toHaveText(/^4,096 points/);
  await page.getByTestId('segment-run').click();
  const job = page.getByTestId('segment-job');
  await expect.poll(async () => Number(await job.getAttribute('data-done')), { timeout: 30_000 }).toBeGreaterThan(0);
  // meanwhile the project is busy: a propagation is refused before it reaches the services
  await page.keyboard.press('p');
  await expect(page.getByTestId('notice-banner').last()).toHaveAttribute('data-code', 'BUSY');
  await page.getByTestId('segment-cancel').click();
  await expect(job).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByTestId('segment-count')).toHaveText('No proposals on frame 0.');

  // the official defaults propose nothing with the random weights: the funnel says which filter
  // removed how many, and "Lower thresholds and run again" proposes thresholds that let some through
  await page.getByTestId('segment-density').selectOption('32');
  await expect(page.getByTestId('segment-estimate')).toHaveText(/^1,024 points · (< 1 s|≈ [\d.]+ s|≈ \d+ min) on the CPU$/);
  const estimatedBefore = await page.getByTestId('segment-estimate').textContent();
  await page.getByTestId('segment-run').click();
  const funnel = page.getByTestId('segment-funnel');
  await expect(funnel).toHaveText(/^3,072 candidates → IoU 0\.8 kept [\d,]+ → stability 0\.95 kept 0 → NMS kept 0$/, { timeout: 60_000 });
  await expect(page.getByTestId('segment-count')).toHaveText('No proposals on frame 0.');
  await expect(page.getByTestId('segment-empty-reason')).toHaveText(
    /^The (predicted-IoU|stability) filter at 0\.(8|95) removed all [\d,]+ masks that reached it \(the best .* was 0\.\d+\)\.$/,
  );
  // the estimate came from the decoder timed on this machine: a run of seconds is never "< 1 s"
  const ranMs = Number(await funnel.getAttribute('data-ms'));
  if (ranMs >= 2000) expect(estimatedBefore).not.toContain('< 1 s');
  // after the run, the estimate of the same run is that run's own time (its frame was encoded)
  const est = /≈ ([\d.]+) s/.exec((await page.getByTestId('segment-estimate').textContent()) ?? '');
  if (ranMs >= 2000) {
    expect(est, 'a run of seconds is estimated in seconds').not.toBeNull();
    expect(Number(est![1]) * 1000).toBeGreaterThan(ranMs * 0.5);
    expect(Number(est![1]) * 1000).toBeLessThan(ranMs * 1.5);
  }
  await shot(page, 'segment-0-funnel.png', info);
  const lower = page.getByTestId('segment-lower');
  for (let round = 0; round < 4 && (await lower.count()) > 0; round++) {
    const iou = Number(await lower.getAttribute('data-iou'));
    const stability = Number(await lower.getAttribute('data-stability'));
    expect(
      iou <= 0.8 &&
        stability <= 0.95 &&
        iou + stability < Number(await page.getByTestId('segment-iou').inputValue()) + Number(await page.getByTestId('segment-stability').inputValue()),
    ).toBe(true);
    const before = await funnel.textContent();
    await lower.click();
    // the proposal went into the form, and the run used it
    await expect(page.getByTestId('segment-iou')).toHaveValue(String(iou));
    await expect(page.getByTestId('segment-stability')).toHaveValue(String(stability));
    await expect(funnel).not.toHaveText(before!, { timeout: 60_000 });
    await expect(funnel).toContainText(stability > 0 ? `stability ${stability} kept` : 'IoU');
  }
  await expect(lower).toHaveCount(0);
  await expect.poll(async () => Number(await page.getByTestId('segment-results').getAttribute('data-count'))).toBeGreaterThan(0);
  await expect(page.getByTestId('segment-empty-reason')).toHaveCount(0);
  await expect(funnel).toHaveText(/→ NMS kept [1-9]\d*$/);

  // density 8 with thresholds the random weights pass
  await page.getByTestId('segment-density').selectOption('8');
  await page.getByTestId('segment-iou').fill('0.7');
  await page.getByTestId('segment-stability').fill('0');
  await page.getByTestId('segment-nms').fill('0.9');
  await expect(page.getByTestId('segment-estimate')).toHaveText(/^64 points · (< 1 s|≈ [\d.]+ s) on the CPU$/);
  await page.getByTestId('segment-run').click();
  const results = page.getByTestId('segment-results');
  await expect.poll(async () => Number(await results.getAttribute('data-count')), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  const proposals = await apiCall<Proposal[]>(page, host.token, 'segment.proposals', { frame: 0 });
  await expect(results).toHaveAttribute('data-count', String(proposals.length));
  const layer = page.getByTestId('proposal-canvas');
  await expect(layer).toHaveAttribute('data-count', String(proposals.length));
  await expect(layer).toHaveAttribute('data-mode', 'outlines');

  // outlines are drawn, each in its own colour, the smallest on top: where the top map says the
  // smallest proposal's outline is, the canvas has exactly that proposal's colour
  expect(await drawnPixels(page, 'proposal-canvas')).toBeGreaterThan(0);
  const top = hitMap(proposals, H, W, false);
  const smallest = proposals.length - 1;
  const edge = outlinePixel(proposals[smallest]!.rle);
  expect(edge, 'the smallest proposal has an outline pixel').not.toBeNull();
  await page.mouse.move(5, 5);
  // the results panel has just appeared (one unpolled read found a transparent pixel at a point of the old view)
  await expectProposalPixel(page, edge!, (got) => near(got, [...labelColor(smallest), 255]), 'outline colour');
  await shot(page, 'segment-1-proposals.png', info);

  // hovering a proposal highlights it
  const inner = innerPixel(top, smallest + 1) ?? edge!;
  const ip = await at(page, ...inner);
  await page.mouse.move(ip[0], ip[1]);
  await expect(layer).toHaveAttribute('data-hover', String(proposals[smallest]!.id));
  await page.mouse.move(5, 5);
  await expect(layer).toHaveAttribute('data-hover', '');

  // the label view: every pixel to the highest-scoring proposal, drawn as a coloured label map
  await page.getByTestId('segment-label-view').check();
  await expect(layer).toHaveAttribute('data-mode', 'labels');
  const labels = hitMap(proposals, H, W, true);
  let checked = 0;
  for (let l = 1; l <= proposals.length && checked < 2; l++) {
    const p = innerPixel(labels, l);
    if (!p) continue;
    await expectProposalPixel(page, p, (got) => near(got.slice(0, 3), labelColor(l - 1)) && got[3]! > 100, `label ${l} colour`);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
  await shot(page, 'segment-2-label-view.png', info);
  await page.getByTestId('segment-label-view').uncheck();
  await expect(layer).toHaveAttribute('data-mode', 'outlines');

  // Keep all marks every proposal, Clear none
  await page.getByTestId('segment-keep-all').click();
  await expect(results).toHaveAttribute('data-kept', String(proposals.length));
  await expect(page.getByTestId('segment-add')).toHaveText(`Add ${proposals.length} objects`);
  await page.getByTestId('segment-clear').click();
  await expect(results).toHaveAttribute('data-kept', '0');
  await expect(page.getByTestId('segment-add')).toBeDisabled();

  // keep two proposals by clicking them: each is filled in the colour its object will get
  const clickable = proposals
    .map((p, i) => ({ p, px: innerPixel(top, i + 1) }))
    .filter((c) => c.px !== null)
    .slice(-2);
  expect(clickable.length).toBe(2);
  const future = nextObjectColors([], 2);
  for (const [k, c] of clickable.entries()) {
    const pt = await at(page, ...c.px!);
    await page.mouse.click(pt[0], pt[1]);
    await expect(results).toHaveAttribute('data-kept', String(k + 1));
    await page.mouse.move(5, 5);
    await expectProposalPixel(page, c.px!, (got) => near(got.slice(0, 3), hexToRgb(future[k]!)), `kept fill ${future[k]}`);
  }
  // a second click drops one, a third keeps it again (order: it is now the second)
  const first = await at(page, ...clickable[0]!.px!);
  await page.mouse.click(first[0], first[1]);
  await expect(results).toHaveAttribute('data-kept', '1');
  await page.mouse.click(first[0], first[1]);
  await expect(results).toHaveAttribute('data-kept', '2');
  await expect(page.getByTestId('segment-add')).toHaveText('Add 2 objects');
  await shot(page, 'segment-3-kept.png', info);

  // add them: two objects with mask prompts on frame 0, drawn, one undo step
  await page.getByTestId('segment-add').click();
  await expect(page.getByTestId('object-row')).toHaveCount(2);
  await expect(results).toHaveAttribute('data-count', String(proposals.length - 2));
  await expect(results).toHaveAttribute('data-kept', '0');
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Keep 2 proposals on frame 0');
  const st = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  const objs: ObjectInfo[] = st.objects;
  // made in keeping order (the second clicked proposal first, then the re-kept one), each in its colour
  expect(objs.map((o) => o.name)).toEqual(['Object 1', 'Object 2']);
  expect(objs.map((o) => o.color)).toEqual(future);
  expect(st.prompts.map((p) => [p.objectId, p.frame, p.hasMask])).toEqual(objs.map((o) => [o.id, 0, true]));
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '2');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(layer).toHaveCount(0);
  for (const o of objs) {
    const rle = (await objectMask(page, host.token, 0, o.id))!;
    const [px, py] = await videoToPage(page, ...maskPixel(rle)!);
    expect((await overlayAt(page, px, py))[3], `${o.name}'s mask is drawn on frame 0`).toBeGreaterThan(0);
  }
  await shot(page, 'segment-4-objects.png', info);

  // propagate them together: masks on a later frame
  await page.getByTestId('propagate-forward').click();
  await expect(page.getByTestId('propagate-bar')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('track-row')).toHaveCount(2);
  for (const r of await page.getByTestId('track-row').all()) await expect(r).toHaveAttribute('data-mask-frames', String(FRAMES));
  // the canvas followed the tracking to the last frame: from the first one, 16 frames on
  await page.keyboard.press('Home');
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-frame', '16', { timeout: 15_000 });
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '2');
  for (const o of objs) {
    const rle = await objectMask(page, host.token, 16, o.id);
    expect(rle, `${o.name} has a mask on frame 16`).not.toBeNull();
    const px = maskPixel(rle!);
    if (!px) continue;
    const [x, y] = await videoToPage(page, ...px);
    const got = await overlayAt(page, x, y);
    expect(got[3]).toBeGreaterThan(0);
  }
  await shot(page, 'segment-5-propagated.png', info);
});
