// Zoom and pan of the frame canvas (math in lib/view-transform). While "fitted", the view
// follows window resizes; any zoom or pan makes it the user's until they fit again.
import { clampView, fitView, panBy, screenToImage, zoomAt, type Size, type View } from '../lib/view-transform';

export class ViewState {
  view = $state<View>({ scale: 1, tx: 0, ty: 0 });
  viewport = $state<Size>({ width: 0, height: 0 });
  image = $state<Size>({ width: 0, height: 0 });
  fitted = $state(true);

  setViewport(width: number, height: number): void {
    if (width === this.viewport.width && height === this.viewport.height) return;
    this.viewport = { width, height };
    if (this.fitted) this.fit();
    else this.view = clampView(this.view, this.viewport, this.image);
  }

  setImage(width: number, height: number): void {
    if (width === this.image.width && height === this.image.height) return;
    this.image = { width, height };
    this.fit();
  }

  fit(): void {
    this.view = fitView(this.viewport, this.image);
    this.fitted = true;
  }

  zoomAt(factor: number, sx: number, sy: number): void {
    this.view = clampView(zoomAt(this.view, factor, sx, sy), this.viewport, this.image);
    this.fitted = false;
  }

  zoomCentre(factor: number): void {
    this.zoomAt(factor, this.viewport.width / 2, this.viewport.height / 2);
  }

  pan(dx: number, dy: number): void {
    this.view = clampView(panBy(this.view, dx, dy), this.viewport, this.image);
    this.fitted = false;
  }

  /** A saved zoom/pan (null: fitted), as the project was left (issue 13). */
  restore(v: View | null): void {
    if (!v) return this.fit();
    this.view = this.viewport.width > 0 ? clampView(v, this.viewport, this.image) : v;
    this.fitted = false;
  }

  /** Canvas CSS pixels → video pixels (issue 4's clicks go through here). */
  toImage(sx: number, sy: number): [number, number] {
    return screenToImage(this.view, sx, sy);
  }

  get zoomPercent(): number {
    return Math.round(this.view.scale * 100);
  }
}
