// Issue 4's loop in the browser, on the micro SAM 2.1 pack (random weights: its masks are
// real model output but not "the square", so every pixel check compares what the UI drew
// with the mask the services hold, rather than with the square's outline).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectInfo, ProjectState } from '../../src-main/api/contract';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { makeVideo } from '../helpers/make-video';
import { openVideo } from './scenario';
import { apiCall, maskPixel, objectMask, overlayAt, overlayStats, rleArea, shot, videoToPage, whiteSquare } from './workflow-steps';
import { hexToRgb } from '../../src-renderer/src/lib/palette';

test.use({ models: MICRO_PACK });

const FRAMES = 24;

/** Keyboard to `frame` from wherever the playhead is; the canvas then shows it. */
async function showFrame(page: import('playwright/test').Page, frame: number): Promise<void> {
  await page.keyboard.press('Home');
  for (let i = 0; i < frame; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-number')).toHaveText(String(frame));
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', String(frame), { timeout: 15_000 });
}

/** Overlay pixels ≈ mask area × (screen px per video px)² — the drawing is the mask, scaled. */
async function expectOverlayIsMask(page: import('playwright/test').Page, token: string, frame: number, objectId: number): Promise<number> {
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-frame', String(frame));
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-loaded', 'true');
  const rle = await objectMask(page, token, frame, objectId);
  const area = rle ? rleArea(rle) : 0;
  const scale = Number((await page.getByTestId('overlay-canvas').getAttribute('data-view'))!.split(' ')[0]);
  const dpr = await page.evaluate(() => (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio);
  const expected = area * (scale * dpr) ** 2;
  await expect
    .poll(async () => (await overlayStats(page)).pixels, { message: `overlay of frame ${frame} ≈ ${area} mask px × ${(scale * dpr).toFixed(2)}²` })
    .toBeGreaterThanOrEqual(Math.floor(expected * 0.9));
  const got = (await overlayStats(page)).pixels;
  expect(got).toBeLessThanOrEqual(Math.ceil(expected * 1.1) + 4 * Math.sqrt(expected) + 16);
  return got;
}

test('open, add an object, click, propagate, review, correct, undo, reload: the same state', async ({ page, host, workDir }, info) => {
  const video = makeVideo(join(workDir, 'square.mp4'), { frames: FRAMES, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('video-meta')).toContainText(`${FRAMES} frames`, { timeout: 30_000 });
  await showFrame(page, 0);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('engine-provider')).toHaveText('CPU');

  // add an object: it is selected and has a palette colour
  await page.getByTestId('add-object').click();
  const row = page.getByTestId('object-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-selected', 'true');
  // name and class label are plain text, saved on Enter
  await page.getByTestId('object-name').fill('Square');
  await page.getByTestId('object-name').press('Enter');
  await page.getByTestId('object-label').fill('box');
  await page.getByTestId('object-label').press('Enter');
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects[0]?.label).toBe('box');
  const state0 = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  const obj: ObjectInfo = state0.objects[0]!;
  expect(obj.name).toBe('Square');
  const color = hexToRgb(obj.color);

  // a positive click on the square: the mask is drawn at once, in the object's colour
  const sq = await whiteSquare(page);
  await page.mouse.click(sq.cx, sq.cy);
  await expect(page.getByTestId('point-positive')).toHaveCount(1);
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '1');
  const firstPixels = await expectOverlayIsMask(page, host.token, 0, obj.id);
  expect(firstPixels).toBeGreaterThan(0);
  const rle0 = (await objectMask(page, host.token, 0, obj.id))!;
  const [px, py] = await videoToPage(page, ...maskPixel(rle0)!);
  const at = await overlayAt(page, px, py);
  expect(at[3], 'overlay alpha on a mask pixel').toBeGreaterThan(0);
  for (let i = 0; i < 3; i++) expect(Math.abs(at[i]! - color[i]!), `channel ${i} of ${obj.color}`).toBeLessThanOrEqual(2);
  await expect(page.getByTestId('undo-label')).toHaveText(/Add point on frame 0/);
  const latency = await page.getByTestId('prompt-latency').textContent();
  info.annotations.push({ type: 'click → mask drawn (micro pack, first click)', description: latency ?? '' });
  await shot(page, 'workflow-1-click.png', info);

  // a single click offers the multimask candidates: Tab picks the next, Shift+Tab comes back
  const cands = page.getByTestId('candidates');
  await expect(cands).toBeVisible();
  await expect(cands.getByTestId('candidate')).toHaveCount(3);
  const chosen = Number(await cands.getAttribute('data-chosen'));
  await page.keyboard.press('Tab');
  await expect(cands).toHaveAttribute('data-chosen', String((chosen + 1) % 3));
  await expect(page.getByTestId('undo-label')).toHaveText(new RegExp(`Choose mask ${((chosen + 1) % 3) + 1} on frame 0`));
  await expectOverlayIsMask(page, host.token, 0, obj.id);
  await page.keyboard.press('Shift+Tab');
  await expect(cands).toHaveAttribute('data-chosen', String(chosen));
  await expect.poll(async () => JSON.stringify(await objectMask(page, host.token, 0, obj.id))).toBe(JSON.stringify(rle0));
  await expectOverlayIsMask(page, host.token, 0, obj.id);
  await page.keyboard.press('Escape');
  await expect(cands).toHaveCount(0);

  // hide takes the overlay away; a locked object refuses prompts with a message
  await page.getByTestId('object-hide').click();
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '0');
  await page.getByTestId('object-hide').click();
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '1');
  await page.getByTestId('object-lock').click();
  await expect(page.getByTestId('object-lock')).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.click(sq.cx + 5, sq.cy + 5);
  await expect(page.getByTestId('notice-banner').last()).toHaveAttribute('data-code', 'LOCKED');
  await expect(page.getByTestId('point-positive')).toHaveCount(1);
  await page.getByTestId('object-lock').click();
  await expect(page.getByTestId('object-lock')).toHaveAttribute('aria-pressed', 'false');

  // propagate forward: the bar ends done, the track bar covers every frame
  await page.getByTestId('propagate-forward').click();
  const bar = page.getByTestId('propagate-bar');
  await expect(bar).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-mask-frames', String(FRAMES));
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-prompt-frames', '0');
  await expect(page.getByTestId('undo-label')).toHaveText(/Propagation forward 0–23/);
  await shot(page, 'workflow-2-propagated.png', info);

  // scrub to a later frame: its overlay is that frame's mask
  const later = 16;
  await showFrame(page, later);
  const filled = await expectOverlayIsMask(page, host.token, later, obj.id);
  const propagated = JSON.stringify(await objectMask(page, host.token, later, obj.id));
  const rleFirst = JSON.stringify(rle0);
  await shot(page, 'workflow-3-later-frame.png', info);

  // review keys: M hides every overlay and brings them back; Shift+O draws outlines only
  await page.keyboard.press('m');
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '0');
  expect((await overlayStats(page)).pixels).toBe(0);
  await page.keyboard.press('m');
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-drawn', '1');
  await page.keyboard.press('Shift+O');
  await expect(page.getByTestId('toggle-outline')).toBeChecked();
  await expect.poll(async () => (await overlayStats(page)).pixels).toBeLessThan(filled);
  expect((await overlayStats(page)).pixels).toBeGreaterThan(0);
  await shot(page, 'workflow-3b-outlines.png', info);
  await page.keyboard.press('Shift+O');
  await expect.poll(async () => (await overlayStats(page)).pixels).toBe(filled);

  // a negative click on a mask pixel corrects the frame: it becomes a prompted frame
  const rleLater = await objectMask(page, host.token, later, obj.id);
  const target =
    rleLater && rleArea(rleLater) > 0 ? await videoToPage(page, ...maskPixel(rleLater)!) : [(await whiteSquare(page)).cx, (await whiteSquare(page)).cy];
  await page.mouse.click(target[0]!, target[1]!, { button: 'right' });
  await expect(page.getByTestId('point-negative')).toHaveCount(1);
  await expect(page.getByTestId('undo-label')).toHaveText(new RegExp(`Add negative point on frame ${later}`));
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-prompt-frames', `0,${later}`);
  await expectOverlayIsMask(page, host.token, later, obj.id);
  expect(JSON.stringify(await objectMask(page, host.token, later, obj.id)), 'the negative click changed the mask').not.toBe(propagated);
  await shot(page, 'workflow-4-negative-click.png', info);

  // "From here" recomputes the frames after the correction, never the prompted frame itself
  const corrected = JSON.stringify(await objectMask(page, host.token, later, obj.id));
  await page.getByTestId('repropagate').click();
  await expect(page.getByTestId('propagate-bar')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('propagate-bar')).toHaveAttribute('data-total', String(FRAMES - 1 - later));
  await expect(page.getByTestId('undo-label')).toHaveText(new RegExp(`Re-propagation from frame ${later}`));
  expect(JSON.stringify(await objectMask(page, host.token, later, obj.id))).toBe(corrected);
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-prompt-frames', `0,${later}`);
  // the canvas followed the re-propagation to the last frame: back to the corrected one
  await showFrame(page, later);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('undo-label')).toHaveText(new RegExp(`Add negative point on frame ${later}`));

  // Ctrl+Z takes the correction back: the same overlay as before it
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('point-negative')).toHaveCount(0);
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-prompt-frames', '0');
  await expectOverlayIsMask(page, host.token, later, obj.id);
  expect(JSON.stringify(await objectMask(page, host.token, later, obj.id)), 'undo restored the propagated mask').toBe(propagated);
  await expect(page.getByTestId('undo-label')).toHaveText(/Propagation forward 0–23/);
  await shot(page, 'workflow-5-undone.png', info);

  // [ jumps back to the prompted frame 0; ] from there finds no later one
  await page.keyboard.press('[');
  await expect(page.getByTestId('frame-number')).toHaveText('0');
  await page.keyboard.press(']');
  await expect(page.getByTestId('notice-banner').last()).toHaveAttribute('data-code', 'NO_PROMPTED_FRAME');

  // export PNG masks + COCO of the whole video through the dialog; the browser shows the folder's path
  const outDir = join(workDir, 'export out');
  await page.getByTestId('open-export').click();
  const dialog = page.getByTestId('export-dialog');
  await page.getByTestId('format-overlay').uncheck();
  await page.getByTestId('format-png').check();
  await page.getByTestId('format-coco').check();
  await expect(page.getByTestId('export-from')).toHaveValue('0');
  await expect(page.getByTestId('export-to')).toHaveValue(String(FRAMES - 1));
  await page.getByTestId('export-dir').fill(outDir);
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-job')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('export-outdir')).toHaveText(outDir);
  await page.getByTestId('export-reveal').click();
  await expect(page.getByTestId('export-path-hint')).toContainText(outDir);
  expect(readdirSync(outDir).length, 'the export wrote files').toBeGreaterThan(0);
  await shot(page, 'workflow-5b-exported.png', info);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // reload: objects, prompts, tracks and masks come back from the project
  await page.reload();
  await showFrame(page, 0);
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  await expect(page.getByTestId('object-name')).toHaveValue('Square');
  await expect(page.getByTestId('object-label')).toHaveValue('box');
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-mask-frames', String(FRAMES));
  await expect(page.getByTestId('track-row')).toHaveAttribute('data-prompt-frames', '0');
  await expect(page.getByTestId('point-positive')).toHaveCount(1);
  await expectOverlayIsMask(page, host.token, 0, obj.id);
  expect(JSON.stringify(await objectMask(page, host.token, 0, obj.id))).toBe(rleFirst);
  await showFrame(page, later);
  await expectOverlayIsMask(page, host.token, later, obj.id);
  expect(JSON.stringify(await objectMask(page, host.token, later, obj.id))).toBe(propagated);
  await shot(page, 'workflow-6-reloaded.png', info);
});
