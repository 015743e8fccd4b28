// Reading what the workflow UI drew, for the workflow specs: the white square of the
// 'shapes' test video on the frame canvas, overlay pixels (count and colour), and the
// services' own answer for a frame's masks (to compare the drawing with the data).
import { expect, type Page, type TestInfo } from 'playwright/test';
import { join } from 'node:path';
import type { FrameMasks, Rle } from '../../src-main/api/contract';

// (typed by hand: the Node-side tsconfig has no DOM library)
type Ctx = { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
type Canvas = {
  width: number;
  height: number;
  getContext(t: '2d'): Ctx;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
};

export interface ScreenBox {
  /** page (CSS) coordinates */
  x: number;
  y: number;
  w: number;
  h: number;
  cx: number;
  cy: number;
}

/** The bright square of the 'shapes' pattern on the frame canvas, in page coordinates. */
export async function whiteSquare(page: Page): Promise<ScreenBox> {
  const box = await page.getByTestId('frame-canvas').evaluate((el) => {
    const c = el as unknown as Canvas;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -1,
      y1 = -1;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        if (d[i]! > 200 && d[i + 1]! > 200 && d[i + 2]! > 200) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    const r = c.getBoundingClientRect();
    const k = r.width / c.width;
    return x1 < 0 ? null : { x: r.left + x0 * k, y: r.top + y0 * k, w: (x1 - x0 + 1) * k, h: (y1 - y0 + 1) * k };
  });
  expect(box, 'the white square is visible on the frame canvas').not.toBeNull();
  return { ...box!, cx: box!.x + box!.w / 2, cy: box!.y + box!.h / 2 };
}

export interface OverlayStats {
  /** canvas pixels with any overlay */
  pixels: number;
  /** mean colour of those pixels */
  rgb: [number, number, number];
}

export async function overlayStats(page: Page): Promise<OverlayStats> {
  return page.getByTestId('overlay-canvas').evaluate((el) => {
    const c = el as unknown as Canvas;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0,
      r = 0,
      g = 0,
      b = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! === 0) continue;
      n++;
      r += d[i]!;
      g += d[i + 1]!;
      b += d[i + 2]!;
    }
    return { pixels: n, rgb: n ? ([r / n, g / n, b / n] as [number, number, number]) : ([0, 0, 0] as [number, number, number]) };
  });
}

/** The overlay's colour (not premultiplied) and alpha at a page point. */
export async function overlayAt(page: Page, x: number, y: number): Promise<[number, number, number, number]> {
  return page.getByTestId('overlay-canvas').evaluate(
    (el, p) => {
      const c = el as unknown as Canvas;
      const r = c.getBoundingClientRect();
      const k = c.width / r.width;
      const d = c.getContext('2d').getImageData(Math.floor((p.x - r.left) * k), Math.floor((p.y - r.top) * k), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]!] as [number, number, number, number];
    },
    { x, y },
  );
}

/** Call the API as the page does (the token header), for checks against the services' data. */
export async function apiCall<T>(page: Page, token: string, method: string, args: object): Promise<T> {
  const res = await page.evaluate(
    async ({ method, args, token }) => {
      const r = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'x-maskline-token': token, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await r.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    },
    { method, args, token },
  );
  if (!res.ok) throw new Error(`${method} failed: ${res.error?.code} ${res.error?.message}`);
  return res.value as T;
}

export function rleArea(rle: Rle): number {
  let a = 0;
  for (let k = 1; k < rle.counts.length; k += 2) a += rle.counts[k]!;
  return a;
}

/** A foreground pixel of the mask near its centre of mass (video pixels), or null when empty. */
export function maskPixel(rle: Rle): [number, number] | null {
  let pos = 0,
    sx = 0,
    sy = 0,
    n = 0;
  const fg: number[] = [];
  for (let k = 0; k < rle.counts.length; k++) {
    const c = rle.counts[k]!;
    if (k & 1) {
      for (let i = pos; i < pos + c; i++) {
        sx += i % rle.w;
        sy += Math.floor(i / rle.w);
        n++;
        if (fg.length < 200_000) fg.push(i);
      }
    }
    pos += c;
  }
  if (!n) return null;
  const mx = sx / n,
    my = sy / n;
  let best = fg[0]!,
    bd = Infinity;
  for (const i of fg) {
    const d = ((i % rle.w) - mx) ** 2 + (Math.floor(i / rle.w) - my) ** 2;
    if (d < bd) ((bd = d), (best = i));
  }
  return [(best % rle.w) + 0.5, Math.floor(best / rle.w) + 0.5];
}

export async function objectMask(page: Page, token: string, frame: number, objectId: number): Promise<Rle | null> {
  const fm = await apiCall<FrameMasks>(page, token, 'masks.frame', { frame });
  return fm.masks.find((m) => m.objectId === objectId)?.rle ?? null;
}

/** Video pixel → page point, through the view the overlay was drawn with (data-view: scale tx ty). */
export async function videoToPage(page: Page, vx: number, vy: number): Promise<[number, number]> {
  const overlay = page.getByTestId('overlay-canvas');
  const [scale, tx, ty] = (await overlay.getAttribute('data-view'))!.split(' ').map(Number) as [number, number, number];
  const r = (await overlay.boundingBox())!;
  return [r.x + tx + vx * scale, r.y + ty + vy * scale];
}

/** A screenshot kept as a test artifact: in the test's output folder and in test-results/screenshots/. */
export async function shot(page: Page, name: string, info: TestInfo): Promise<void> {
  await page.screenshot({ path: info.outputPath(name) });
  await page.screenshot({ path: join('test-results', 'screenshots', name) });
}
