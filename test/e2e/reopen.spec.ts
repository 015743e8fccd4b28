// Issue 13 (8) in the browser on the micro pack: closing and reopening a project brings back the
// undo history (label, and Ctrl+Z works on the last session's action), the playhead, the zoom/pan
// and the selected object, and a click's mask candidates (Tab goes on cycling the same ones).
import { join } from 'node:path';
import type { FrameMasks, MaskCandidates, ProjectState } from '../../src-main/api/contract';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { makeVideo } from '../helpers/make-video';
import { openVideo } from './scenario';
import { apiCall, shot, whiteSquare } from './workflow-steps';

test.use({ models: MICRO_PACK });

test('reopen restores the undo history, the playhead, the zoom and the selected object', async ({ page, host, workDir }, info) => {
  const video = makeVideo(join(workDir, 'square.mp4'), { frames: 24, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 30_000 });
  await expect.poll(async () => (await apiCall<ProjectState | null>(page, host.token, 'project.state', {}))?.video.extracted, { timeout: 30_000 }).toBe(true);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('job')).toHaveCount(0);

  // two objects; the first gets a click on frame 5, then the second is selected
  await page.keyboard.press('n');
  await page.keyboard.press('n');
  await expect(page.getByTestId('object-row')).toHaveCount(2);
  await page.getByTestId('object-row').first().click();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '5', { timeout: 15_000 });
  const sq = await whiteSquare(page);
  await page.mouse.click(sq.cx, sq.cy);
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Add point on frame 5');
  await page.keyboard.press('Escape');
  await page.getByTestId('object-row').nth(1).click();
  const c = (await page.getByTestId('frame-canvas').boundingBox())!;
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  await page.mouse.wheel(0, -200);
  const zoom = await page.getByTestId('zoom-level').textContent();
  const view = await page.getByTestId('overlay-canvas').getAttribute('data-view');
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).view?.zoom ?? null).not.toBeNull();
  const saved = (await apiCall<ProjectState>(page, host.token, 'project.state', {})).view!;
  expect(saved.frame).toBe(5);
  expect(saved.objectId).toBe(2);

  await page.getByTestId('close-project').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('recent-project').click();
  await expect(page.getByTestId('video-meta')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('frame-number')).toHaveText('5');
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '5', { timeout: 15_000 });
  await expect(page.getByTestId('zoom-level')).toHaveText(zoom!);
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-view', view!);
  await expect(page.getByTestId('object-row').nth(1)).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Add point on frame 5');
  await shot(page, 'reopen-1-restored.png', info);

  // the restored history works: undo takes the click away, redo brings it back
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Add Object 2');
  expect((await apiCall<ProjectState>(page, host.token, 'project.state', {})).prompts).toEqual([]);
  await page.keyboard.press('Control+Shift+Z');
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Add point on frame 5');
  expect((await apiCall<ProjectState>(page, host.token, 'project.state', {})).prompts).toHaveLength(1);
});

test("reopen keeps a click's mask candidates: the chosen one is on screen and Tab goes on cycling the same ones", async ({ page, host, workDir }, info) => {
  const video = makeVideo(join(workDir, 'square.mp4'), { frames: 12, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 30_000 });
  await expect.poll(async () => (await apiCall<ProjectState | null>(page, host.token, 'project.state', {}))?.video.extracted, { timeout: 30_000 }).toBe(true);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

  await page.keyboard.press('n');
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '3', { timeout: 15_000 });
  const sq = await whiteSquare(page);
  await page.mouse.click(sq.cx, sq.cy);
  const popover = page.getByTestId('candidates');
  await expect(popover).toBeVisible();
  const first = Number(await popover.getAttribute('data-chosen'));
  // Tab: the next candidate, on screen and in the database
  await page.keyboard.press('Tab');
  const chosen = (first + 1) % 3;
  await expect(popover).toHaveAttribute('data-chosen', String(chosen));
  const kept = (await apiCall<MaskCandidates | null>(page, host.token, 'prompts.candidates', { objectId: 1, frame: 3 }))!;
  expect(kept.chosen).toBe(chosen);
  const maskOf = async () => (await apiCall<FrameMasks>(page, host.token, 'masks.frame', { frame: 3 })).masks.find((m) => m.objectId === 1)!.rle;
  expect(await maskOf()).toEqual(kept.masks[chosen]);
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).view?.frame ?? null).toBe(3);

  // close and reopen: the chosen candidate is the mask; Tab cycles on from it
  await page.getByTestId('close-project').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('recent-project').click();
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '3', { timeout: 30_000 });
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  expect(await maskOf()).toEqual(kept.masks[chosen]);
  await expect(popover).toHaveCount(0);
  await page.keyboard.press('Tab');
  const next = (chosen + 1) % 3;
  await expect(popover).toHaveAttribute('data-chosen', String(next), { timeout: 30_000 });
  await expect.poll(maskOf, { timeout: 30_000 }).toEqual(kept.masks[next]);
  await expect(page.getByTestId('undo-label')).toHaveText(/^Undo: .*frame 3/);
  await shot(page, 'reopen-2-candidates.png', info);

  // a reload too: Tab goes on with the same candidates
  await page.reload();
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '3', { timeout: 30_000 });
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await page.keyboard.press('Tab');
  const third = (next + 1) % 3;
  await expect(popover).toHaveAttribute('data-chosen', String(third), { timeout: 30_000 });
  await expect.poll(maskOf, { timeout: 30_000 }).toEqual(kept.masks[third]);
  expect((await apiCall<MaskCandidates | null>(page, host.token, 'prompts.candidates', { objectId: 1, frame: 3 }))!.masks).toEqual(kept.masks);
});
