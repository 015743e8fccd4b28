// Issue 13 (7, 9) in the browser on the micro pack: while a propagation runs the canvas follows
// the frame being tracked (or stays, when Follow is off) and the track bar grows; after Cancel,
// P continues at the first frame not yet tracked ("resuming at frame N") and computes only the
// frames after it (the job's total and the services' tracks say so).
import { join } from 'node:path';
import type { ProjectState } from '../../src-main/api/contract';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { makeVideo } from '../helpers/make-video';
import { openVideo } from './scenario';
import { apiCall, shot, whiteSquare } from './workflow-steps';

test.use({ models: MICRO_PACK });
test.setTimeout(360_000);

const FRAMES = 60;

test('the canvas follows the tracked frame, the track bar grows; after Cancel, P resumes where it stopped', async ({ page, host, workDir }, info) => {
  const video = makeVideo(join(workDir, 'long square.mp4'), { frames: FRAMES, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await openVideo(page, video);
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 30_000 });
  await expect.poll(async () => (await apiCall<ProjectState | null>(page, host.token, 'project.state', {}))?.video.extracted, { timeout: 30_000 }).toBe(true);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const sq = await whiteSquare(page);
  await page.mouse.click(sq.cx, sq.cy);
  await expect(page.getByTestId('point-positive')).toHaveCount(1);

  await page.keyboard.press('p');
  const bar = page.getByTestId('propagate-bar');
  await expect(bar).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect(page.getByTestId('propagate-follow')).toBeChecked();
  // following: the playhead and the drawn frame move along with the tracking
  const track = page.getByTestId('track-row');
  const seen = new Set<number>();
  const frames = new Set<string>();
  for (let i = 0; i < 60 && (seen.size < 3 || frames.size < 3); i++) {
    const n = Number(await track.getAttribute('data-mask-frames'));
    if (n > 0 && n < FRAMES) seen.add(n);
    frames.add((await page.getByTestId('frame-canvas').getAttribute('data-frame'))!);
    await page.waitForTimeout(150);
  }
  expect(seen.size, 'distinct track lengths while running').toBeGreaterThanOrEqual(3);
  expect(frames.size, 'distinct frames drawn while running').toBeGreaterThanOrEqual(3);
  await expect.poll(async () => Number(await page.getByTestId('frame-number').textContent())).toBeGreaterThan(3);
  await shot(page, 'live-1-following.png', info);

  // stay: the playhead stops while the run goes on
  await page.getByTestId('propagate-follow').uncheck();
  const stayAt = await page.getByTestId('frame-number').textContent();
  const doneAt = Number(await bar.getAttribute('data-done'));
  await expect.poll(async () => Number(await bar.getAttribute('data-done')), { timeout: 30_000 }).toBeGreaterThan(doneAt + 5);
  await expect(page.getByTestId('frame-number')).toHaveText(stayAt!);

  await page.getByTestId('propagate-cancel').click();
  await expect(bar).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
  const kept = (await apiCall<ProjectState>(page, host.token, 'project.state', {})).tracks[0]!.frames;
  const k = kept.length;
  expect(kept).toEqual(Array.from({ length: k }, (_, i) => i));
  expect(k).toBeLessThan(FRAMES);
  await expect(track).toHaveAttribute('data-mask-frames', String(k));

  // P again from frame 0 (once the services have put the engine back in step): it resumes at
  // frame k and computes only the frames after it
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).busy, { timeout: 30_000 }).toBeNull();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('frame-number')).toHaveText('0');
  await page.keyboard.press('p');
  await expect(page.getByTestId('propagate-note')).toHaveText(` — resuming at frame ${k}`, { timeout: 30_000 });
  await expect(bar).toHaveAttribute('data-total', String(FRAMES - k));
  await shot(page, 'live-2-resuming.png', info);
  await expect(bar).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(bar).toHaveAttribute('data-done', String(FRAMES - k));
  const st = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  expect(st.tracks[0]!.frames).toHaveLength(FRAMES);
  await expect(track).toHaveAttribute('data-mask-frames', String(FRAMES));
  // "stay" was chosen in the first run and is kept: the playhead stayed where it was put
  await expect(page.getByTestId('frame-number')).toHaveText('0');
});
