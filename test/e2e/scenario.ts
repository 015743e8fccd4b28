// The user journeys, written once against a Page so the browser spec and the Electron
// spec drive exactly the same steps.
import { expect, type Page } from 'playwright/test';
import { frameFromColor } from '../helpers/make-video';

/** The frame whose colour is at the centre of the canvas (see make-video's 'colors' pattern). */
export async function framePixel(page: Page): Promise<number> {
  // (typed by hand: the Node-side tsconfig has no DOM library)
  type Canvas = {
    width: number;
    height: number;
    getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
  };
  const rgb = await page.getByTestId('frame-canvas').evaluate((el) => {
    const c = el as unknown as Canvas;
    const d = c.getContext('2d').getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
    return [d[0]!, d[1]!, d[2]!] as [number, number, number];
  });
  return frameFromColor(rgb);
}

/** The displayed number, the drawn frame and the pixels all agree on `frame`. */
export async function expectFrame(page: Page, frame: number): Promise<void> {
  await expect(page.getByTestId('frame-number')).toHaveText(String(frame));
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-frame', String(frame), { timeout: 15_000 });
  expect(await framePixel(page)).toBe(frame);
}

export async function openVideo(page: Page, path: string): Promise<void> {
  await page.getByTestId('open-path').fill(path);
  await page.getByTestId('open-button').click();
}

export async function openAndShowFirstFrame(page: Page, path: string, frames: number): Promise<void> {
  await openVideo(page, path);
  await expect(page.getByTestId('video-meta')).toContainText(`${frames} frames`, { timeout: 30_000 });
  await expectFrame(page, 0);
}

export async function scrubByKeyboard(page: Page, frames: number): Promise<void> {
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expectFrame(page, 3);
  await page.keyboard.press('Shift+ArrowRight');
  await expectFrame(page, 13);
  await page.keyboard.press('ArrowLeft');
  await expectFrame(page, 12);
  await page.keyboard.press('Shift+ArrowLeft');
  await expectFrame(page, 2);
  await page.keyboard.press('End');
  await expectFrame(page, frames - 1);
  await page.keyboard.press('Home');
  await expectFrame(page, 0);
  // keys typed into the path field belong to the field, not the player
  await page.getByTestId('open-path').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-number')).toHaveText('0');
  await page.getByTestId('open-path').blur();
}

/** Drag the scrubber's playhead from the start to `target` in several moves. */
export async function scrubByDragging(page: Page, frames: number, target: number): Promise<void> {
  const box = (await page.getByTestId('scrubber').boundingBox())!;
  const y = box.y + box.height / 2;
  const xOf = (f: number) => box.x + (f / (frames - 1)) * box.width;
  await page.mouse.move(xOf(0), y);
  await page.mouse.down();
  await page.mouse.move(xOf(Math.round(target / 2)), y, { steps: 5 });
  await page.mouse.move(xOf(target), y, { steps: 5 });
  await expect(page.getByTestId('frame-number')).toHaveText(String(target));
  // dragging past the end clamps to the last frame, and back again
  await page.mouse.move(box.x + box.width + 200, y, { steps: 3 });
  await expect(page.getByTestId('frame-number')).toHaveText(String(frames - 1));
  await page.mouse.move(xOf(target), y, { steps: 3 });
  await page.mouse.up();
  await expectFrame(page, target);
}

/** Play for a moment: frames advance at the video's rate and stop cleanly on pause. */
export async function playAndPause(page: Page): Promise<void> {
  await page.keyboard.press('Home');
  await expectFrame(page, 0);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('data-playing', 'true');
  await expect.poll(async () => Number(await page.getByTestId('frame-number').textContent()), { timeout: 5000 }).toBeGreaterThan(5);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('data-playing', 'false');
  const stopped = Number(await page.getByTestId('frame-number').textContent());
  await expectFrame(page, stopped);
}

export async function expectError(page: Page, code: string, messagePart: RegExp): Promise<void> {
  const banner = page.getByTestId('error-banner').last();
  await expect(banner).toHaveAttribute('data-code', code, { timeout: 30_000 });
  await expect(banner.getByTestId('error-message')).toContainText(messagePart);
}

/** Wheel zoom around the cursor, Alt+drag pan, F to fit: the frame stays the same frame. */
export async function zoomPanFit(page: Page, frame: number): Promise<void> {
  // the job bar leaving changes the stage's size (and the fitted zoom): wait for a settled layout
  await expect(page.getByTestId('job')).toHaveCount(0);
  const zoom = page.getByTestId('zoom-level');
  const fitted = await zoom.textContent();
  const box = (await page.getByTestId('frame-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect(zoom).not.toHaveText(fitted!);
  expect(await framePixel(page)).toBe(frame);
  await page.keyboard.down('Alt');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 30, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Alt');
  await page.keyboard.press('f');
  await expect(zoom).toHaveText(fitted!);
  await expectFrame(page, frame);
}
