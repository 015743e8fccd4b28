// Browser mode against the built host, in Debian's Chromium.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { makeVideo } from '../helpers/make-video';
import { expectError, expectFrame, openAndShowFirstFrame, openVideo, playAndPause, scrubByDragging, scrubByKeyboard, zoomPanFit } from './scenario';

test('opens a generated video and scrubs by keyboard, by dragging and by playing', async ({ page, host, clip }, info) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-transport', 'browser');
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await openAndShowFirstFrame(page, clip.path, clip.frames);
  await expect(page.getByTestId('time')).toHaveText('00:00.00');
  await scrubByKeyboard(page, clip.frames);
  await scrubByDragging(page, clip.frames, 30);
  await expect(page.getByTestId('time')).toHaveText('00:01.20');
  await page.screenshot({ path: info.outputPath('browser-frame-30.png') });
  await page.screenshot({ path: join('test-results', 'screenshots', 'browser-frame-30.png') });
  await zoomPanFit(page, 30);
  await playAndPause(page);
});

test('bad input gives one clear error each, and a good video opens afterwards', async ({ page, host, clip, workDir }, info) => {
  await page.goto(host.url);
  const missing = join(workDir, 'no such clip.mp4');
  await openVideo(page, missing);
  await expectError(page, 'FILE_NOT_FOUND', /no such clip\.mp4 does not exist/);
  await expect(page.getByTestId('error-banner')).toHaveCount(1);

  const text = join(workDir, 'notes.mp4');
  writeFileSync(text, 'this is a text file, not a video\n'.repeat(200));
  await openVideo(page, text);
  await expectError(page, 'NOT_A_VIDEO', /notes\.mp4/);
  await expect(page.getByTestId('error-banner')).toHaveCount(1);
  await page.screenshot({ path: info.outputPath('browser-not-a-video.png') });

  // nothing was created for the failed opens, and the app still works
  const projects = await page.evaluate(async (token) => {
    const r = await fetch('/api/app.recentProjects', { method: 'POST', headers: { 'x-maskline-token': token }, body: '{}' });
    return ((await r.json()) as { value: unknown[] }).value.length;
  }, host.token);
  expect(projects).toBe(0);

  await openAndShowFirstFrame(page, clip.path, clip.frames);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expectFrame(page, 1);

  // closed, it is one click away in the recent list
  await page.getByTestId('close-project').click();
  await expect(page.getByTestId('recent-project')).toHaveCount(1);
  await expect(page.getByTestId('recent-project')).toContainText('clip with spaces – ü.mp4');
  await page.getByTestId('recent-project').click();
  await expectFrame(page, 0);
});

test('a video uploaded from the browser opens like a local one', async ({ page, host, clip }) => {
  await page.goto(host.url);
  await page.getByTestId('upload-input').setInputFiles(clip.path);
  await expect(page.getByTestId('video-meta')).toContainText(`${clip.frames} frames`, { timeout: 30_000 });
  await expectFrame(page, 0);
  await expect(page.getByTestId('open-path')).toHaveValue(/uploads\/[0-9a-f]+\/clip with spaces _ ü\.mp4$/);
});

test('cancelling the extraction from the job bar closes the video and leaves the app usable', async ({ page, host, clip, workDir }) => {
  const long = makeVideo(join(workDir, 'long.mp4'), { frames: 900, width: 1280, height: 720, pattern: 'testsrc' });
  await page.goto(host.url);
  await openVideo(page, long);
  const job = page.getByTestId('job');
  await expect(job).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await job.getByTestId('job-cancel').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await openAndShowFirstFrame(page, clip.path, clip.frames);
});
