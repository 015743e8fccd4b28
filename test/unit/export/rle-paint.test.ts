import { describe, expect, it } from 'vitest';
import { encodeMask } from '../../../src-main/core/masks/rle';
import { checkRle, paintRle } from '../../../src-main/core/export/rle-paint';
import { blobs, rect } from './mask-shapes';

describe('painting row-major runs into other buffers', () => {
  const w = 29;
  const h = 17;
  it.each([
    ['blobs', blobs(w, h, 11)],
    ['a run wrapping a row break', rect(w, h, 20, 3, w, 5).map((v, i) => (i >= 5 * w && i < 5 * w + 2 ? 1 : v))],
    ['full', new Uint8Array(w * h).fill(1)],
  ])('%s: paints PNG scanlines (stride w + 1, offset 1) exactly', (_n, bitmap) => {
    const rows = new Uint8Array((w + 1) * h);
    paintRle(encodeMask(bitmap, h, w), rows, 255, w + 1, 1);
    for (let y = 0; y < h; y++) {
      expect(rows[y * (w + 1)]).toBe(0);
      for (let x = 0; x < w; x++) expect(rows[y * (w + 1) + 1 + x]).toBe(bitmap[y * w + x] ? 255 : 0);
    }
  });

  it('paints a label map where later values cover earlier ones', () => {
    const a = rect(w, h, 0, 0, 10, 10);
    const b = rect(w, h, 5, 5, 15, 15);
    const labels = new Uint16Array(w * h);
    paintRle(encodeMask(a, h, w), labels, 1);
    paintRle(encodeMask(b, h, w), labels, 300);
    expect(labels[2 * w + 2]).toBe(1);
    expect(labels[7 * w + 7]).toBe(300);
    expect(labels[12 * w + 12]).toBe(300);
    expect(labels[16 * w + 28]).toBe(0);
  });
});

describe('checking a stored mask against the video', () => {
  it.each([
    ['wrong size', { w: 4, h: 3, counts: [12] }, /mask is 4×3, the video is 5×3/],
    ['runs too short', { w: 5, h: 3, counts: [3, 4] }, /sum to 7/],
    ['negative run', { w: 5, h: 3, counts: [16, -1] }, /-1/],
    ['fractional run', { w: 5, h: 3, counts: [14.5, 0.5] }, /14.5/],
  ])('rejects %s, naming frame and object', (_n, rle, err) => {
    expect(() => checkRle(rle, 5, 3, 'frame 4, object 2')).toThrow(err);
    expect(() => checkRle(rle, 5, 3, 'frame 4, object 2')).toThrow(/^frame 4, object 2:/);
  });

  it('accepts a well-formed mask of the video size', () => {
    expect(() => checkRle({ w: 5, h: 3, counts: [3, 4, 8] }, 5, 3, 'x')).not.toThrow();
  });
});
