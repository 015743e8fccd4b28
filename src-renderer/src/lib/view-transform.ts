// Zoom/pan/fit as pure math. A view maps image pixels to canvas (CSS) pixels:
//   screen = image × scale + (tx, ty)
// Everything that draws on the canvas (the frame now, mask overlays and prompt points in
// issue 4) and everything that reads a click goes through these functions, so the layers
// can never disagree about where a pixel is.

export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 64;

/** The whole image visible and centred, as large as the viewport allows (minus a margin). */
export function fitView(viewport: Size, image: Size, margin = 8): View {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return { scale: 1, tx: 0, ty: 0 };
  const availW = Math.max(1, viewport.width - 2 * margin);
  const availH = Math.max(1, viewport.height - 2 * margin);
  const scale = Math.min(availW / image.width, availH / image.height);
  return {
    scale,
    tx: (viewport.width - image.width * scale) / 2,
    ty: (viewport.height - image.height * scale) / 2,
  };
}

/** Zoom by `factor` keeping the image point under (sx, sy) where it is on screen. */
export function zoomAt(v: View, factor: number, sx: number, sy: number, min = MIN_SCALE, max = MAX_SCALE): View {
  if (!(factor > 0) || !Number.isFinite(factor)) return v;
  const scale = Math.min(max, Math.max(min, v.scale * factor));
  const k = scale / v.scale;
  return { scale, tx: sx - (sx - v.tx) * k, ty: sy - (sy - v.ty) * k };
}

export function panBy(v: View, dx: number, dy: number): View {
  return { scale: v.scale, tx: v.tx + dx, ty: v.ty + dy };
}

/**
 * Keep at least `keep` CSS pixels of the image inside the viewport, so a fling of the
 * mouse can never lose the image off-screen.
 */
export function clampView(v: View, viewport: Size, image: Size, keep = 48): View {
  const w = image.width * v.scale;
  const h = image.height * v.scale;
  const kx = Math.min(keep, w, viewport.width);
  const ky = Math.min(keep, h, viewport.height);
  const tx = Math.min(viewport.width - kx, Math.max(kx - w, v.tx));
  const ty = Math.min(viewport.height - ky, Math.max(ky - h, v.ty));
  return { scale: v.scale, tx, ty };
}

export function screenToImage(v: View, sx: number, sy: number): [number, number] {
  return [(sx - v.tx) / v.scale, (sy - v.ty) / v.scale];
}

export function imageToScreen(v: View, ix: number, iy: number): [number, number] {
  return [ix * v.scale + v.tx, iy * v.scale + v.ty];
}

/**
 * Wheel delta → zoom factor. Pixel-mode wheels (trackpads) send many small deltas, line
 * mode (classic mice on Firefox/Linux) a few large steps; both end up ~1.2× per notch.
 */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const clamped = Math.max(-300, Math.min(300, px));
  return Math.exp(-clamped * 0.0018);
}
