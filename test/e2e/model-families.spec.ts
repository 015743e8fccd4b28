// Issue 17 in the browser: the Models screen tells each pack's family, what it means, its
// published accuracy and its speed measured on this machine at first use; choosing the other
// family for a project with prompts asks first with what switching does ("Keep" changes
// nothing), and switching keeps the project's prompts.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectState } from '../../src-main/api/contract';
import { expect, test } from './fixtures';
import { MICRO_PACK, ROOT } from './host-process';
import { openVideo } from './scenario';
import { apiCall, shot } from './workflow-steps';

// both families side by side; SAM 2.1 sorts first, so it is the default pack
const packs = mkdtempSync(join(tmpdir(), 'maskline-families-'));
cpSync(MICRO_PACK, join(packs, 'a-sam2-micro'), { recursive: true });
cpSync(join(ROOT, 'test', 'fixtures', 'edgetam-micro', 'pack'), join(packs, 'b-edgetam-micro'), { recursive: true });
test.use({ models: packs });
test.afterAll(() => rmSync(packs, { recursive: true, force: true }));

test('families on the Models screen; switching a project to EdgeTAM asks first and keeps its prompts', async ({ page, host, clip }, info) => {
  await page.setViewportSize({ width: 1300, height: 900 });
  await page.goto(host.url);
  await openVideo(page, clip.path);
  // frames extracted and the engine loaded for the project (its providers known)
  await expect
    .poll(
      async () => {
        const st = await apiCall<ProjectState | null>(page, host.token, 'project.state', {});
        return !!st && st.framesReady === st.video.frames && Object.keys(st.engine?.providers ?? {}).length === 4;
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  await apiCall(page, host.token, 'objects.add', {});
  await apiCall(page, host.token, 'prompts.add', { objectId: 1, frame: 0, points: [[160, 120]], labels: [1] });

  await page.getByTestId('engine-badge').click();
  const screen = page.getByTestId('models-screen');
  const row = (id: string) => screen.locator(`[data-testid="pack-row"][data-pack-id="${id}"]`);
  await expect(row('a-sam2-micro').getByTestId('pack-family')).toHaveAttribute('data-family', 'sam2');
  await expect(row('a-sam2-micro').getByTestId('pack-family')).toContainText('SA-V test J&F 76.5');
  await expect(row('b-edgetam-micro').getByTestId('pack-family')).toHaveAttribute('data-family', 'edgetam');
  await expect(row('b-edgetam-micro').getByTestId('pack-family')).toContainText('SA-V test J&F 71.7');
  await expect(row('b-edgetam-micro').getByTestId('pack-family')).toContainText('faster');
  // the pack in use was timed when first used; the other one has not been used yet
  await expect(row('a-sam2-micro').getByTestId('pack-speed')).toContainText(/Measured here: .+ per tracked frame \(1 object, cpu/);
  await expect(row('b-edgetam-micro').getByTestId('pack-speed')).toHaveText('Speed: measured on this machine when first used');
  await expect(row('a-sam2-micro').getByTestId('pack-in-use')).toBeVisible();
  await shot(page, 'families-1-models.png', info);

  // the other family: the question says what switching does; Keep changes nothing
  await row('b-edgetam-micro').getByTestId('pack-use').click();
  const q = page.getByTestId('question');
  await expect(q).toContainText('SAM 2.1 and EdgeTAM memories are incompatible');
  await expect(q).toContainText('keeps every prompt');
  await expect(q.getByTestId('question-yes')).toHaveText('Switch to EdgeTAM');
  await shot(page, 'families-2-question.png', info);
  await q.getByTestId('question-no').click();
  await expect(q).toHaveCount(0);
  await expect(row('a-sam2-micro').getByTestId('pack-in-use')).toBeVisible();
  expect((await apiCall<ProjectState>(page, host.token, 'project.state', {})).engine?.pack?.id).toBe('a-sam2-micro');

  // switching: EdgeTAM is in use, timed on this first use, and the prompt is still there
  await row('b-edgetam-micro').getByTestId('pack-use').click();
  await q.getByTestId('question-yes').click();
  await expect(row('b-edgetam-micro').getByTestId('pack-in-use')).toBeVisible({ timeout: 60_000 });
  await expect(row('b-edgetam-micro').getByTestId('pack-speed')).toContainText(/Measured here: .+ per tracked frame/, { timeout: 30_000 });
  const st = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  expect(st.engine?.pack?.family?.id).toBe('edgetam');
  expect(st.prompts.map((p) => [p.objectId, p.frame])).toEqual([[1, 0]]);
  await shot(page, 'families-3-switched.png', info);
});
