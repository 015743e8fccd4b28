// Issue 13 items 2, 17, 18 in the browser: the export dialog defaults to the CLI's look (one
// green at 40 %, per-object colours one click away), says what the binary PNGs do for absent
// objects and offers to skip them, shows the full resolved destination (default under the
// user's Documents, never the host's working directory) and refuses, naming it, a user's file
// under an output name — which survives.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { openAndShowFirstFrame } from './scenario';

const documents = existsSync(join(homedir(), 'Documents')) ? join(homedir(), 'Documents') : homedir();

test('export dialog: CLI look by default, PNG note and skip option, resolved destination, user files refused and kept', async ({
  page,
  host,
  clip,
  workDir,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await openAndShowFirstFrame(page, clip.path, clip.frames);
  await page.getByTestId('add-object').click();
  await expect(page.getByTestId('object-row')).toHaveCount(1);

  await page.getByTestId('open-export').click();
  await expect(page.getByTestId('export-dialog')).toBeVisible();
  // 17: one green at 40 %, like the CLI; per-object colours one click away
  await expect(page.getByTestId('export-colour-green')).toBeChecked();
  await expect(page.getByTestId('export-colour-objects')).not.toBeChecked();
  await expect(page.getByTestId('export-opacity-value')).toHaveText('40%');
  await expect(page.getByTestId('export-dialog')).toContainText('Classic green');
  await page.getByTestId('export-colour-objects').check();
  await expect(page.getByTestId('export-colour-green')).not.toBeChecked();

  // 2: the default destination is under the user's Documents (or home), shown in full
  const expectedDefault = join(documents, 'Maskline exports', 'clip with spaces – ü');
  await expect(page.getByTestId('export-dir')).toHaveValue(expectedDefault);
  await expect(page.getByTestId('export-dest-resolved')).toHaveText(expectedDefault);
  // a relative entry resolves under Documents, shown before exporting
  await page.getByTestId('export-dir').fill('exports/run1');
  await expect(page.getByTestId('export-dest-resolved')).toHaveText(join(documents, 'exports', 'run1'));
  await page.getByTestId('export-dir-default').click();
  await expect(page.getByTestId('export-dir')).toHaveValue(expectedDefault);

  // 18: the binary PNGs say what they do for absent objects, and can skip them
  await page.getByTestId('format-overlay').uncheck();
  await page.getByTestId('format-png').check();
  await expect(page.getByTestId('export-png-note')).toContainText('all black where the object is absent');
  await page.getByTestId('export-skip-empty').check();
  await expect(page.getByTestId('export-png-note')).toContainText('Only frames where the object has a mask');

  // 1: a user's file under an output name stops the export, named; it survives
  const outDir = join(workDir, 'my exports');
  mkdirSync(join(outDir, 'masks'), { recursive: true });
  writeFileSync(join(outDir, 'masks', 'important.txt'), 'keep me');
  await page.getByTestId('export-dir').fill(outDir);
  await expect(page.getByTestId('export-dest-resolved')).toHaveText(outDir);
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-failed')).toContainText('EXPORT_CONFLICT', { timeout: 30_000 });
  await expect(page.getByTestId('export-failed')).toContainText('masks/important.txt');
  expect(readFileSync(join(outDir, 'masks', 'important.txt'), 'utf8')).toBe('keep me');
  expect(readdirSync(outDir)).toEqual(['masks']);

  // another folder: the export runs; the object has no masks, so with "skip" no PNG is written
  const fresh = join(workDir, 'fresh');
  await page.getByTestId('export-dir').fill(fresh);
  await page.getByTestId('format-coco').check();
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-job')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // the full bar shows: its fill lies inside the bar (the result line's class once pushed it out of view)
  // (polled: the fill's width eases to the end)
  const box = async (sel: string) => (await page.getByTestId('export-job').locator(sel).boundingBox())!;
  const placed = async () => {
    const [bar, fill] = [await box('.progress'), await box('.progress-fill')];
    return [fill.y - bar.y, fill.height - bar.height, Math.round(fill.width - bar.width)];
  };
  await expect.poll(placed).toEqual([0, 0, 0]);
  await expect(page.getByTestId('export-outdir')).toHaveText(fresh);
  // 16: counts mean what they say: the whole clip, once
  await expect(page.getByTestId('export-job')).toContainText(`${clip.frames} / ${clip.frames} frames`);
  expect(readdirSync(join(fresh, 'masks', '1'))).toEqual([]);
  expect(existsSync(join(fresh, 'coco.json'))).toBe(true);
});
