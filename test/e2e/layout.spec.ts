// Issue 13, layout and polish (items 11–16), in the browser on the micro pack: notices have their
// own place and cover no control (element-at-point checks at 1280×720 and 1920×1080), the toolbar
// never moves when the undo label changes, the colour picker fits with every colour and the
// custom one reachable, a recolour repaints the track bar at once, the help lists exactly the
// key map (and a double-click is two points, not a fit), a box's undo label, and the Models
// screen before any video.
import { join } from 'node:path';
import type { Page } from 'playwright/test';
import type { ProjectState } from '../../src-main/api/contract';
import { expect, test } from './fixtures';
import { MICRO_PACK } from './host-process';
import { makeVideo } from '../helpers/make-video';
import { openVideo } from './scenario';
import { apiCall, shot, whiteSquare } from './workflow-steps';
import { KEY_HELP } from '../../src-renderer/src/lib/keymap';
import { PALETTE, hexToRgb } from '../../src-renderer/src/lib/palette';

test.use({ models: MICRO_PACK });

const FRAMES = 24;

async function openShapes(page: Page, workDir: string, token: string): Promise<void> {
  const video = makeVideo(join(workDir, 'square.mp4'), { frames: FRAMES, fps: 25, width: 320, height: 240, pattern: 'shapes' });
  await openVideo(page, video);
  await expect(page.getByTestId('video-meta')).toContainText(`${FRAMES} frames`, { timeout: 30_000 });
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', '0', { timeout: 30_000 });
  await expect.poll(async () => (await apiCall<ProjectState | null>(page, token, 'project.state', {}))?.video.extracted, { timeout: 30_000 }).toBe(true);
  await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

/**
 * Every visible control of the window (buttons, fields, the scrubber) is what the page finds at
 * its centre: nothing (a notice, a banner) lies over it. Returns the ones that are covered.
 */
async function coveredControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      getAttribute(n: string): string | null;
      getBoundingClientRect(): { left: number; top: number; width: number; height: number };
      contains(o: unknown): boolean;
      textContent: string | null;
      closest(s: string): unknown;
    };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El>; elementFromPoint(x: number, y: number): El | null } })
      .document;
    const win = globalThis as unknown as { getComputedStyle(e: El): { visibility: string; display: string }; innerWidth: number; innerHeight: number };
    const out: string[] = [];
    const els = Array.from(doc.querySelectorAll('button, input, select, [data-testid="scrubber"]'));
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      const cs = win.getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none') continue;
      // controls of the notices themselves, of an open dialog, or scrolled out of their list are not the question
      if (el.closest('[data-testid="notices"]')) continue;
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      // scrolled out of a list or panel that scrolls is reachable, not covered: the centre lies
      // outside the visible box of an ancestor that scrolls
      let scrolledOut = false;
      for (
        let a = (el as unknown as { parentElement: El | null }).parentElement;
        a && !scrolledOut;
        a = (a as unknown as { parentElement: El | null }).parentElement
      ) {
        const st = win.getComputedStyle(a) as unknown as { overflowY: string };
        const box = a as unknown as { scrollHeight: number; clientHeight: number };
        if ((st.overflowY === 'auto' || st.overflowY === 'scroll') && box.scrollHeight > box.clientHeight) {
          const v = a.getBoundingClientRect();
          scrolledOut = y < v.top || y > v.top + box.clientHeight || x < v.left || x > v.left + v.width;
        }
      }
      if (scrolledOut) continue;
      if (x < 0 || y < 0 || x >= win.innerWidth || y >= win.innerHeight) {
        out.push(`${el.getAttribute('data-testid') ?? el.tagName} is off screen`);
        continue;
      }
      const hit = doc.elementFromPoint(x, y);
      if (!hit || !(hit === el || el.contains(hit) || (hit as unknown as El).contains(el))) {
        out.push(
          `${el.getAttribute('data-testid') ?? el.getAttribute('title') ?? el.tagName} is under ${hit ? (hit.getAttribute('data-testid') ?? hit.tagName) : 'nothing'}`,
        );
      }
    }
    return out;
  });
}

/** Left edges of every toolbar control, to see that none moves. */
async function toolbarLayout(page: Page): Promise<number[]> {
  return page.getByTestId('toolbar').evaluate((tb) => {
    const t = tb as unknown as { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { left: number } }> };
    return Array.from(t.querySelectorAll('button')).map((b) => Math.round(b.getBoundingClientRect().left * 10) / 10);
  });
}

test('notices have their own place: no control is covered at 1280×720 or 1920×1080; errors stay, notices go', async ({ page, host, workDir }, info) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await openShapes(page, workDir, host.token);
  const sq = await whiteSquare(page);
  await page.mouse.click(sq.cx, sq.cy);
  await expect(page.getByTestId('point-positive')).toHaveCount(1);
  await page.keyboard.press('Escape');

  // an error that stays (a bad path in the open field) and a notice (a locked object refuses a click)
  await page.getByTestId('open-path').fill(join(workDir, 'no such video.mp4'));
  await page.getByTestId('open-button').click();
  await expect(page.getByTestId('error-banner')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('object-lock').click();
  // the lock is a call to the host: click only once the app shows it locked
  await expect(page.getByTestId('object-lock')).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.click(sq.cx + 3, sq.cy + 3);
  await expect(page.getByTestId('notice-banner')).toHaveAttribute('data-code', 'LOCKED');
  await shot(page, 'layout-1-notices-1280.png', info);
  expect(await coveredControls(page), 'controls covered at 1280×720').toEqual([]);
  // the notices sit between the toolbar and the frame, not over either
  const tb = (await page.getByTestId('toolbar').boundingBox())!;
  const strip = (await page.getByTestId('notices').boundingBox())!;
  const stage = (await page.getByTestId('frame-canvas').boundingBox())!;
  expect(strip.y).toBeGreaterThanOrEqual(tb.y + tb.height - 0.5);
  expect(stage.y).toBeGreaterThanOrEqual(strip.y + strip.height - 0.5);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect.poll(async () => (await page.getByTestId('toolbar').boundingBox())!.width).toBeGreaterThan(1800);
  expect(await coveredControls(page), 'controls covered at 1920×1080').toEqual([]);

  // the notice leaves by itself; the error stays until it is dismissed
  await expect(page.getByTestId('notice-banner')).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByTestId('error-banner')).toHaveCount(1);
  await page.getByTestId('error-banner').getByTestId('error-dismiss').click();
  await expect(page.getByTestId('notices')).toHaveCount(0);
});

test('the toolbar never moves; the colour picker fits; a recolour repaints the track; the box label', async ({ page, host, workDir }, info) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await openShapes(page, workDir, host.token);
  const layout0 = await toolbarLayout(page);

  // labels of different lengths: "Add point…", "Choose mask 2…", a long propagation label
  const sq = await whiteSquare(page);
  await page.mouse.click(sq.cx, sq.cy);
  await expect(page.getByTestId('undo-label')).toHaveText(/Add point on frame 0/);
  expect(await toolbarLayout(page)).toEqual(layout0);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('undo-label')).toHaveText(/Choose mask \d on frame 0/);
  expect(await toolbarLayout(page)).toEqual(layout0);
  await page.keyboard.press('Escape');
  await page.keyboard.press('i');
  await expect(page.getByTestId('marker-readout')).toHaveText('0–·');
  expect(await toolbarLayout(page), 'setting a marker moves nothing').toEqual(layout0);
  await page.keyboard.press('x');

  // a box on a frame that has a point: its undo label says box
  const canvas = (await page.getByTestId('frame-canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width * 0.3, canvas.y + canvas.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width * 0.6, canvas.y + canvas.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('prompt-box')).toBeVisible();
  await expect(page.getByTestId('undo-label')).toHaveText('Undo: Draw box on frame 0');
  expect(await toolbarLayout(page)).toEqual(layout0);

  await page.getByTestId('propagate-forward').click();
  await expect(page.getByTestId('propagate-bar')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('undo-label')).toHaveText(`Undo: Propagation forward 0–${FRAMES - 1}`);
  expect(await toolbarLayout(page)).toEqual(layout0);

  // a second object; the first one's colour picker shows all 12 colours and the custom one
  await page.getByTestId('add-object').click();
  await expect(page.getByTestId('object-row')).toHaveCount(2);
  const first = page.getByTestId('object-row').first();
  await first.click();
  await first.getByTestId('object-color').click();
  const chips = first.getByTestId('palette-chip');
  await expect(chips).toHaveCount(PALETTE.length);
  await shot(page, 'layout-2-palette-1280.png', info);
  const hidden = await first.getByTestId('palette').evaluate((pal) => {
    const p = pal as unknown as {
      querySelectorAll(s: string): ArrayLike<{
        getBoundingClientRect(): { left: number; top: number; width: number; height: number };
        contains(o: unknown): boolean;
        getAttribute(n: string): string | null;
      }>;
    };
    const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document;
    const miss: string[] = [];
    for (const el of Array.from(p.querySelectorAll('[data-testid="palette-chip"], [data-testid="palette-custom"]'))) {
      const r = el.getBoundingClientRect();
      const hit = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!(hit === el || el.contains(hit))) miss.push(el.getAttribute('title') ?? el.getAttribute('data-testid') ?? '?');
    }
    return miss;
  });
  expect(hidden, 'colours that cannot be clicked').toEqual([]);
  await expect(first.getByTestId('palette-custom')).toBeVisible();

  // recolour: the track bar takes the new colour at once (no reload)
  const state = await apiCall<ProjectState>(page, host.token, 'project.state', {});
  const obj = state.objects[0]!;
  const target = PALETTE.find((c) => c !== obj.color && c !== state.objects[1]!.color)!;
  await first.locator(`[data-testid="palette-chip"][title="${target}"]`).click();
  await expect.poll(async () => (await apiCall<ProjectState>(page, host.token, 'project.state', {})).objects[0]!.color).toBe(target);
  const bar = page.getByTestId('track-row').first().locator('canvas');
  // the strip blends the colour at 90 % over its dark background
  const bg = [0x12, 0x15, 0x19];
  const want = hexToRgb(target).map((c, i) => Math.round(0.9 * c + 0.1 * bg[i]!));
  const old = hexToRgb(obj.color).map((c, i) => Math.round(0.9 * c + 0.1 * bg[i]!));
  const count = (rgb: number[]) =>
    bar.evaluate((el, rgb) => {
      const c = el as unknown as {
        width: number;
        height: number;
        getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
      };
      const d = c.getContext('2d').getImageData(0, 0, c.width, 2).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - rgb[0]!) <= 3 && Math.abs(d[i + 1]! - rgb[1]!) <= 3 && Math.abs(d[i + 2]! - rgb[2]!) <= 3) n++;
      return n;
    }, rgb);
  await expect.poll(() => count(want), { message: `track bar pixels in ${target}` }).toBeGreaterThan(100);
  expect(await count(old), `track bar pixels still in ${obj.color}`).toBe(0);
});

test('the help lists exactly the key map; a double-click is two points, not a fit; the Models screen before a video', async ({ page, host, workDir }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);

  // before any video: a chosen pack is not "ready" with provider "—" and "0 ms"
  await page.getByTestId('engine-badge').click();
  await expect(page.getByTestId('models-screen')).toBeVisible();
  await expect(page.getByTestId('pack-row')).toHaveCount(1, { timeout: 30_000 });
  // the only pack may already be in use (picked without asking); else choose it
  if ((await page.getByTestId('pack-in-use').count()) === 0) await page.getByTestId('pack-use').click();
  await expect(page.getByTestId('pack-in-use')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('engine-status')).toBeVisible();
  await expect(page.getByTestId('engine-state-text')).toHaveText('chosen — loads when a video is opened', { timeout: 30_000 });
  await expect(page.getByTestId('engine-providers-text')).toHaveText('not loaded yet');
  await expect(page.getByTestId('engine-load-text')).toHaveText('not loaded yet');
  await page.getByTestId('models-close').click();

  await page.keyboard.press('?');
  const rows = page.getByTestId('help-row');
  await expect(rows).toHaveCount(KEY_HELP.length);
  const shown = await rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from((tr as unknown as { children: ArrayLike<{ textContent: string | null }> }).children).map((td) => td.textContent ?? '')),
  );
  expect(shown).toEqual(KEY_HELP.map((r) => [r.keys, r.what]));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help')).toHaveCount(0);

  await openShapes(page, workDir, host.token);
  await expect(page.getByTestId('job')).toHaveCount(0);
  await page.keyboard.press('n');
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  // zoom in (the view is then the user's, not fitted): a double-click must not fit it
  const fitted = await page.getByTestId('zoom-level').textContent();
  const c = (await page.getByTestId('frame-canvas').boundingBox())!;
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  await page.mouse.wheel(0, -200);
  await expect(page.getByTestId('zoom-level')).not.toHaveText(fitted!);
  const zoomed = await page.getByTestId('zoom-level').textContent();
  const sq = await whiteSquare(page);
  await page.mouse.dblclick(sq.cx, sq.cy);
  // (each click is a decoder run: slow on a busy machine)
  await expect(page.getByTestId('point-positive')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('zoom-level')).toHaveText(zoomed!);
  // what the help says about F is true
  await page.keyboard.press('f');
  await expect(page.getByTestId('zoom-level')).not.toHaveText(zoomed!);
});
