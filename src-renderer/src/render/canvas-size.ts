// Every layer of the frame view (frame, overlays, proposals) is a canvas the size of the
// viewport in device pixels, so lines and mask edges stay sharp on HiDPI screens.

/** Resizes `el` to the viewport at `dpr` (only when it changed: resizing clears it) and returns its 2-D context. */
export function viewportContext(el: HTMLCanvasElement, viewport: { width: number; height: number }, dpr: number): CanvasRenderingContext2D | null {
  const w = Math.max(1, Math.round(viewport.width * dpr));
  const h = Math.max(1, Math.round(viewport.height * dpr));
  if (el.width !== w) el.width = w;
  if (el.height !== h) el.height = h;
  return el.getContext('2d');
}
