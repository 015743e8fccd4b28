// Issue 12 in the browser on the micro SAM 2.1 pack: brush, eraser and polygon edits of the
// selected object's mask (each one undo step), undo, propagation from the painted frame, and
// importing a COCO file as fixed masks. Every check reads the masks back through the API.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameMasks, JobSnapshot, ProjectState, Rle } from '../../src-main/api/contract';
import { fillPolygon } from '../../src-main/shared/raster';
import { encodeMask } from '../../src-main/core/masks/rle';
import { rleToMask } from '../../src-renderer/src/lib/mask-raster';
import { makeVideo } from '../helpers/make-video';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { openVideo } from './scenario';
import { apiCall, objectMask, shot, videoToPage } from './workflow-steps';

test.use({ models: MICRO_PACK });

const W = 320;
const H = 240;
const on = (rle: Rle | null, x: number, y: number) => (rle ? rleToMask(rle)[y * W + x] === 1 : false);
const area = (rle: Rle | null) => (rle ? rleToMask(rle).reduce((a, v) => a + v, 0) : 0);

test('paint, erase, polygon, undo, propagate from the painted frame, import a COCO file', async ({ page, host, workDir }, info) => {
  const video = makeVideo(join(workDir, 'shapes.mp4'), { frames: 12, fps: 25, width: W, height: H, pattern: 'shapes' });
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 30_000 });
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const mouse = async (vx: number, vy: number) => videoToPage(page, vx, vy);

  // brush: B, size with ] and Ctrl+wheel, a ring under the pointer
  await page.keyboard.press('b');
  await expect(page.getByTestId('tool-brush')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('brush-size-value')).toHaveText('16px');
  await page.keyboard.press(']');
  await expect(page.getByTestId('brush-size-value')).toHaveText('20px');
  const [cx, cy] = await mouse(100, 60);
  await page.mouse.move(cx, cy);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, 100);
  await page.keyboard.up('Control');
  await expect(page.getByTestId('brush-size-value')).toHaveText('16px');
  await expect(page.getByTestId('brush-ring')).toBeVisible();

  // one stroke, pointer events far apart: the stroke has no gaps
  const a = await mouse(40, 60);
  const b = await mouse(160, 60);
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  await page.mouse.move((a[0] + b[0]) / 2, a[1], { steps: 1 });
  await page.mouse.move(b[0], b[1], { steps: 1 });
  await page.mouse.up();
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Set mask on frame 0', { timeout: 30_000 });
  let m = await objectMask(page, host.token, 0, 1);
  for (let x = 40; x <= 160; x += 4) expect(on(m, x, 60), `stroke pixel ${x},60`).toBe(true);
  expect(on(m, 100, 60 + 12)).toBe(false);
  expect(area(m)).toBeGreaterThan(120 * 14);
  expect(area(m)).toBeLessThan(140 * 18);
  await expect(page.getByTestId('mask-origin')).toHaveText('as painted');
  const st = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  expect(st.prompts).toEqual([expect.objectContaining({ objectId: 1, frame: 0, hasMask: true })]);
  await shot(page, 'edit-1-brush.png', info);

  // eraser across the middle of the stroke
  await page.keyboard.press('e');
  const e1 = await mouse(100, 40);
  const e2 = await mouse(100, 80);
  await page.mouse.move(e1[0], e1[1]);
  await page.mouse.down();
  await page.mouse.move(e2[0], e2[1], { steps: 2 });
  await page.mouse.up();
  await expect.poll(async () => on(await objectMask(page, host.token, 0, 1), 100, 60), { timeout: 30_000 }).toBe(false);
  m = await objectMask(page, host.token, 0, 1);
  expect(on(m, 60, 60)).toBe(true);
  expect(on(m, 140, 60)).toBe(true);

  // polygon: four clicks, then a click on the first vertex fills it (even-odd)
  await page.keyboard.press('g');
  const corners: [number, number][] = [
    [200, 150],
    [260, 150],
    [260, 200],
    [200, 200],
  ];
  for (const [x, y] of corners) {
    const p = await mouse(x, y);
    await page.mouse.click(p[0], p[1]);
  }
  await expect(page.getByTestId('paint-layer')).toHaveAttribute('data-vertices', '4');
  const first = await mouse(200, 150);
  await page.mouse.click(first[0], first[1]);
  await expect.poll(async () => on(await objectMask(page, host.token, 0, 1), 230, 175), { timeout: 30_000 }).toBe(true);
  m = await objectMask(page, host.token, 0, 1);
  expect(on(m, 60, 60)).toBe(true);
  expect(on(m, 265, 175)).toBe(false);
  await shot(page, 'edit-2-polygon.png', info);

  // undo takes back exactly the polygon
  await page.keyboard.press('Control+z');
  await expect.poll(async () => on(await objectMask(page, host.token, 0, 1), 230, 175), { timeout: 30_000 }).toBe(false);
  m = await objectMask(page, host.token, 0, 1);
  expect(on(m, 60, 60)).toBe(true);
  expect(on(m, 100, 60)).toBe(false);

  // propagate from the painted frame: the frames after it get SAM 2's masks
  await page.keyboard.press('v');
  await page.keyboard.press('p');
  await expect
    .poll(async () => (await apiCall<JobSnapshot[]>(page, host.token, 'jobs.list', {})).find((j) => j.kind === 'propagate')?.state, { timeout: 90_000 })
    .toBe('done');
  const f5 = await apiCall<FrameMasks>(page, host.token, 'masks.frame', { frame: 5 });
  expect(f5.masks[0]).toMatchObject({ objectId: 1, source: 'propagated' });
  expect((await apiCall<FrameMasks>(page, host.token, 'masks.frame', { frame: 0 })).masks[0]!.rle).toEqual(m);

  // import a COCO file as fixed masks on frame 3 for a new object
  const poly = [20, 150, 90, 150, 90, 220, 20, 220];
  const expected = new Uint8Array(W * H);
  fillPolygon({ mask: expected, width: W, height: H }, poly, 1);
  const file = join(workDir, 'other tool.json');
  writeFileSync(
    file,
    JSON.stringify({
      images: [
        { id: 1, file_name: 'frame_000003.jpg', width: W, height: H },
        { id: 2, file_name: 'thumbnail.jpg', width: W, height: H },
      ],
      categories: [{ id: 1, name: 'ball' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, track_id: 7, segmentation: [poly] }],
    }),
  );
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-format').selectOption('coco');
  await page.getByTestId('import-path').fill(file);
  await page.getByTestId('import-as-fixed').check();
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-report')).toContainText('Imported 1 masks as fixed masks', { timeout: 30_000 });
  await expect(page.getByTestId('import-unmatched')).toContainText('thumbnail.jpg');
  const f3 = await apiCall<FrameMasks>(page, host.token, 'masks.frame', { frame: 3 });
  const imported = f3.masks.find((x) => x.objectId === 2);
  expect(imported).toMatchObject({ source: 'fixed', rle: encodeMask(expected, H, W) });
  const objects = (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects;
  expect(objects.map((o) => [o.id, o.label])).toEqual([
    [1, ''],
    [2, 'ball'],
  ]);
  await page.getByTestId('import-close').click();
  await shot(page, 'edit-3-imported.png', info);
});
