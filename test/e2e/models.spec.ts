// The models screen in the browser, starting with no pack at all: the first-run panel, the
// catalog (unavailable entries say why), a download with progress that is cancelled and
// resumed, an import that fails verbatim and one that works, then "Use".
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { startSlowPackServer, writeCatalog } from './slow-pack-server';
import { shot } from './workflow-steps';

test.use({ testCatalog: true });

test('no pack: the first-run panel; catalog reasons; download cancel + resume; import errors verbatim; import and use a pack', async ({
  page,
  host,
  workDir,
}, info) => {
  // the micro pack is ~8 MB: at 4 MB/s its download runs long enough to cancel midway
  const server = await startSlowPackServer(MICRO_PACK, 4_000_000);
  try {
    writeCatalog(join(workDir, 'catalog.json'), MICRO_PACK, server.base);
    await page.setViewportSize({ width: 1300, height: 900 });
    await page.goto(host.url);

    // first run: the start screen explains both ways, with the exact export command
    await expect(page.getByTestId('no-model')).toBeVisible();
    await expect(page.getByTestId('export-command')).toHaveText('python models/export/export_sam2.py --model facebook/sam2.1-hiera-tiny --out <dir>');
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'none');
    await shot(page, 'models-1-first-run.png', info);
    // ? shows every key, Esc closes it
    await page.keyboard.press('?');
    await expect(page.getByTestId('help')).toContainText('next low-confidence frame');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help')).toHaveCount(0);

    await page.getByTestId('open-models').click();
    const screen = page.getByTestId('models-screen');
    await expect(screen).toBeVisible();
    // the shipped catalog's entries cannot be downloaded and say why; ours can
    const shipped = screen.locator('[data-testid="catalog-entry"][data-catalog-id="sam2.1-hiera-tiny"]');
    await expect(shipped.getByTestId('catalog-reason')).toContainText('export_sam2.py');
    await expect(shipped.getByTestId('download')).toBeDisabled();
    const served = screen.locator('[data-testid="catalog-entry"][data-catalog-id="micro-served"]');
    await expect(served.getByTestId('catalog-reason')).toHaveCount(0);

    // a folder that is not a pack: the import error is shown verbatim with its code
    const junk = join(workDir, 'not a pack');
    mkdirSync(junk);
    writeFileSync(join(junk, 'model.json'), '{ "format": "something-else" }');
    await page.getByTestId('import-path').fill(junk);
    await page.getByTestId('import-button').click();
    const err = page.getByTestId('import-error');
    await expect(err).toBeVisible({ timeout: 30_000 });
    await expect(err).toContainText('not a pack');
    expect(await err.getAttribute('data-code')).toMatch(/^[A-Z_]+$/);
    await expect(screen.getByTestId('pack-row')).toHaveCount(0);
    await shot(page, 'models-2-import-error.png', info);

    // a real pack folder imports, verifies, and the engine can use it
    const copy = join(workDir, 'micro copy');
    cpSync(MICRO_PACK, copy, { recursive: true });
    await page.getByTestId('import-path').fill(copy);
    await page.getByTestId('import-button').click();
    await expect(page.getByTestId('import-error')).toHaveCount(0, { timeout: 30_000 });
    await expect(screen.getByTestId('pack-row')).toHaveCount(1);
    await expect(screen.getByTestId('pack-row')).toContainText('yes');
    await expect(page.getByTestId('import-path')).toHaveValue('');
    // the only usable pack is picked without asking
    await expect(page.getByTestId('engine-badge')).not.toHaveAttribute('data-state', 'none', { timeout: 60_000 });
    await expect(screen.getByTestId('pack-in-use')).toHaveCount(1);
    await expect(page.getByTestId('no-model')).toHaveCount(0);

    // download from the catalog: progress, cancel midway, then resume (Range) to the end
    await served.getByTestId('download').click();
    await expect(served.getByTestId('download-cancel')).toBeVisible();
    await expect(served.getByTestId('download-progress')).toContainText(/ \/ 7\.8 MiB/);
    await shot(page, 'models-3-downloading.png', info);
    await served.getByTestId('download-cancel').click();
    await expect(served.getByTestId('download')).toHaveText('Resume', { timeout: 15_000 });
    await expect(served.getByTestId('download-progress')).toHaveAttribute('data-state', 'cancelled');
    await served.getByTestId('download').click();
    await expect(served.getByTestId('download')).toHaveText('Downloaded', { timeout: 30_000 });
    const resumed = [...server.ranges.values()].flat().filter((r) => r.startsWith('bytes='));
    expect(resumed.length, 'the second start continued a partial file with Range').toBeGreaterThan(0);
    await shot(page, 'models-4-downloaded.png', info);

    // two packs now: "Use" on the other one makes it the engine's
    await expect(screen.getByTestId('pack-row')).toHaveCount(2);
    const other = screen.getByTestId('pack-row').filter({ has: page.getByTestId('pack-use') });
    const otherId = await other.getAttribute('data-pack-id');
    await other.getByTestId('pack-use').click();
    await expect(screen.locator(`[data-testid="pack-row"][data-pack-id="${otherId}"]`).getByTestId('pack-in-use')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready');
    await page.keyboard.press('Escape');
    await expect(screen).toHaveCount(0);
    await expect(page.getByTestId('no-model')).toHaveCount(0);
  } finally {
    await server.close();
  }
});
