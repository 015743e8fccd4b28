// Bad input around the workflow, in the browser: clicks and undo while a propagation runs
// (refused with a message, nothing changes), cancel keeps the frames done, deleting an object
// during a run (asked, the run stops, its frames stay), a project database from a newer
// Maskline, and a project whose video file moved.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright/test';
import type { ProjectState, RecentProject } from '../../src-main/api/contract';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { makeVideo } from '../helpers/make-video';
import { expectError, expectFrame, openAndShowFirstFrame, openVideo } from './scenario';
import { apiCall, shot, whiteSquare } from './workflow-steps';

async function waitExtracted(page: Page, token: string): Promise<ProjectState> {
  await expect.poll(async () => (await apiCall<ProjectState | null>(page, token, 'project.state', {}))?.video.extracted, { timeout: 30_000 }).toBe(true);
  return (await apiCall<ProjectState>(page, token, 'project.state', {}))!;
}

async function runningPropagation(page: Page): Promise<void> {
  const bar = page.getByTestId('propagate-bar');
  await expect(bar).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect.poll(async () => Number(await bar.getAttribute('data-done')), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
}

test.describe('with the micro pack', () => {
  test.use({ models: MICRO_PACK });

  test('during a propagation: clicks and undo are refused, cancel keeps frames, deleting an object asks and stops the run', async ({
    page,
    host,
    workDir,
  }, info) => {
    const frames = 150;
    const video = makeVideo(join(workDir, 'long square.mp4'), { frames, fps: 25, width: 320, height: 240, pattern: 'shapes' });
    await page.setViewportSize({ width: 1400, height: 860 });
    await page.goto(host.url);
    await openVideo(page, video);
    await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 30_000 });
    await waitExtracted(page, host.token);
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

    // two objects, one click each (N adds and selects the second)
    const sq = await whiteSquare(page);
    await page.mouse.click(sq.cx, sq.cy);
    await expect(page.getByTestId('object-row')).toHaveCount(1);
    await expect(page.getByTestId('point-positive')).toHaveCount(1);
    await page.keyboard.press('n');
    await expect(page.getByTestId('object-row')).toHaveCount(2);
    await expect(page.getByTestId('object-row').nth(1)).toHaveAttribute('data-selected', 'true');
    // object 2 gets a box: dragging shows the rubber band, releasing sends it
    const canvas = (await page.getByTestId('frame-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width * 0.2, canvas.y + canvas.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.4, canvas.y + canvas.height * 0.45, { steps: 5 });
    await expect(page.getByTestId('drag-box')).toBeVisible();
    await page.mouse.up();
    await expect(page.getByTestId('drag-box')).toHaveCount(0);
    await expect(page.getByTestId('prompt-box')).toBeVisible();
    const before = await apiCall<ProjectState>(page, host.token, 'project.state', {});
    expect(before.prompts).toHaveLength(2);
    const box = before.prompts.find((p) => p.objectId === before.objects[1]!.id)!;
    expect(box.points).toEqual([]);
    expect(box.box).not.toBeNull();

    // P: propagate forward; a click and Ctrl+Z while it runs are refused, nothing changes
    await page.keyboard.press('p');
    await runningPropagation(page);
    await page.mouse.click(canvas.x + canvas.width * 0.6, canvas.y + canvas.height * 0.6);
    const notice = page.getByTestId('notice-banner').last();
    await expect(notice).toHaveAttribute('data-code', 'BUSY');
    await expect(notice).toContainText(`Propagating forward 0–${frames - 1} is running: prompting waits`);
    // object 2 (selected) still has only its box (the canvas follows the tracking, so ask the services)
    const during = await apiCall<ProjectState>(page, host.token, 'project.state', {});
    expect(during.prompts).toHaveLength(2);
    expect(during.prompts.find((p) => p.objectId === before.objects[1]!.id)).toMatchObject({ points: [], box: box.box });
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('notice-banner').last()).toContainText(/undo waits/);
    await shot(page, 'bad-1-click-during-propagation.png', info);

    // Cancel: the frames done stay, the rest is untouched
    await page.getByTestId('propagate-cancel').click();
    const bar = page.getByTestId('propagate-bar');
    await expect(bar).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
    await expect(page.getByTestId('propagate-detail')).toContainText('frames done are kept');
    const kept = await apiCall<ProjectState>(page, host.token, 'project.state', {});
    expect(kept.prompts).toEqual(before.prompts);
    const keptFrames = kept.tracks.find((t) => t.objectId === before.objects[0]!.id)!.frames.length;
    expect(keptFrames).toBeGreaterThan(1);
    expect(keptFrames).toBeLessThan(frames);
    await expect(page.getByTestId('track-row').first()).toHaveAttribute('data-mask-frames', String(keptFrames));

    // run again once the cancelled run has let go (until then P answers BUSY); deleting object 2
    // meanwhile asks, then stops the run and deletes it
    await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).busy, { timeout: 30_000 }).toBeNull();
    await page.keyboard.press('Home');
    await page.getByTestId('propagate-forward').click();
    await runningPropagation(page);
    await page.getByTestId('object-row').nth(1).getByTestId('object-delete').click();
    await expect(page.getByTestId('question')).toContainText('cancels it first; the frames it has done are kept');
    await shot(page, 'bad-2-delete-during-propagation.png', info);
    await page.getByTestId('question-yes').click();
    await expect(bar).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
    await expect(page.getByTestId('object-row')).toHaveCount(1);
    const after = await apiCall<ProjectState>(page, host.token, 'project.state', {});
    expect(after.objects.map((o) => o.id)).toEqual([before.objects[0]!.id]);
    expect(after.busy).toBeNull();
    expect(after.tracks.find((t) => t.objectId === before.objects[0]!.id)!.frames.length).toBeGreaterThanOrEqual(keptFrames);

    // nothing is running now: prompting works again
    await page.getByTestId('object-row').first().click();
    await page.keyboard.press('Home');
    await page.mouse.click(sq.cx + 4, sq.cy + 4);
    await expect(page.getByTestId('point-positive')).toHaveCount(2);
  });
});

test('a project saved by a newer Maskline is refused with SCHEMA_TOO_NEW and left unchanged', async ({ page, host, clip }) => {
  await page.goto(host.url);
  await openAndShowFirstFrame(page, clip.path, clip.frames);
  const state = await waitExtracted(page, host.token);
  await page.getByTestId('close-project').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  const file = join(state.dir, 'project.sqlite');
  const db = new Database(file);
  db.pragma('user_version = 9999');
  db.close();

  await page.getByTestId('recent-project').click();
  await expectError(page, 'SCHEMA_TOO_NEW', /Update Maskline/);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  const check = new Database(file, { readonly: true });
  expect(check.pragma('user_version', { simple: true })).toBe(9999);
  check.close();
});

test('a project whose video moved asks for it, refuses another video, and takes the moved file', async ({ page, host, clip, workDir }, info) => {
  await page.goto(host.url);
  await openAndShowFirstFrame(page, clip.path, clip.frames);
  await waitExtracted(page, host.token);
  await page.getByTestId('close-project').click();
  const moved = join(workDir, 'moved clip.mp4');
  renameSync(clip.path, moved);
  const recent = await apiCall<RecentProject[]>(page, host.token, 'app.recentProjects', {});
  expect(recent).toHaveLength(1);

  await page.getByTestId('recent-project').click();
  const dialog = page.getByTestId('relocate-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(clip.path);
  // the cached frames still work meanwhile
  await page.keyboard.press('ArrowRight');
  await expectFrame(page, 1);
  await shot(page, 'bad-3-video-moved.png', info);

  const other = makeVideo(join(workDir, 'other.mp4'), { frames: 10, width: 160, height: 120, pattern: 'testsrc' });
  await page.getByTestId('relocate-path').fill(other);
  await page.getByTestId('relocate-button').click();
  await expect(page.getByTestId('error-banner').last()).toBeVisible();
  await expect(dialog).toBeVisible();

  await page.getByTestId('relocate-path').fill(moved);
  await page.getByTestId('relocate-button').click();
  await expect(dialog).toHaveCount(0);
  const s = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  expect(s.videoMissing).toBe(false);
  expect(s.video.path).toBe(moved);
});
