// The Batch panel in the browser against a real redis-server and one real `maskline worker`
// process (both started here): without a URL the panel explains workers; with one, two small
// videos are submitted from the panel, watched until done, and one finished project opens.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer } from '../../src-main/cli/bench/redis-process';
import { makeVideo } from '../helpers/make-video';
import { redisSkipReason } from '../helpers/redis-server';
import { expect, test } from './fixtures';
import { MICRO_PACK, ROOT } from './host-process';
import { shot } from './workflow-steps';

test.use({ models: MICRO_PACK });

test('Batch: explains workers without a URL; submits two videos, shows them done, opens one', async ({ page, host, workDir }, info) => {
  test.skip(redisSkipReason() !== null, 'redis-server is not installed');
  const redis = await startRedisServer();
  const worker = spawn(
    process.execPath,
    [join(ROOT, 'resources', 'bin', 'maskline.mjs'), 'worker', '--redis', redis.url, '--model', MICRO_PACK, '--provider', 'cpu'],
    {
      env: { ...process.env, MASKLINE_DATA_DIR: join(workDir, 'worker-data') },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  worker.stderr!.on('data', (d) => (log += d));
  try {
    const videos = ['first.mp4', 'second.mp4'].map((n, i) => makeVideo(join(workDir, n), { width: 160, height: 96, frames: 4 + i, pattern: 'shapes' }));
    const prompts = join(workDir, 'prompts.json');
    writeFileSync(prompts, JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 0, points: [[40, 48]], labels: [1] }] }] }));

    await page.setViewportSize({ width: 1300, height: 900 });
    await page.goto(host.url);
    await page.getByTestId('open-batch').click();
    const panel = page.getByTestId('batch-panel');
    await expect(panel.getByTestId('batch-explain')).toContainText('maskline worker');
    await shot(page, 'batch-1-explain.png', info);

    await panel.getByTestId('batch-redis-url').fill(redis.url);
    await panel.getByTestId('batch-connect').click();
    await expect(panel.getByTestId('batch-counts')).toContainText('waiting 0');
    await panel.getByTestId('batch-videos').fill(videos.join('\n'));
    await panel.getByTestId('batch-prompts').fill(prompts);
    await panel.getByTestId('batch-out').fill(join(workDir, 'results'));
    await panel.getByTestId('batch-submit').click();
    await expect(panel.getByTestId('batch-submitted')).toContainText('Submitted 2 job(s)');
    const rows = panel.getByTestId('batch-job');
    await expect(rows).toHaveCount(2);
    await expect(panel.locator('[data-testid="batch-job"][data-state="done"]')).toHaveCount(2, { timeout: 120_000 });
    await shot(page, 'batch-2-done.png', info);

    await panel.locator(`[data-testid="batch-job"][data-video="${videos[1]}"]`).getByTestId('batch-open').click();
    await expect(page.getByTestId('batch-panel')).toHaveCount(0);
    await expect(page.getByTestId('video-meta')).toContainText('second.mp4', { timeout: 30_000 });
    await expect(page.getByTestId('video-meta')).toContainText('5 frames');
    await shot(page, 'batch-3-opened.png', info);
  } catch (err) {
    console.log(`worker log:\n${log}`);
    throw err;
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once('exit', r)));
    await redis.stop();
  }
});
