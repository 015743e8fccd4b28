// Hand edits of a mask (brush, eraser, polygon) as pure decisions: the brush size steps, when a
// polygon click closes it, the edited mask (through shared/raster, the one rasteriser), and
// what the UI says about a frame's mask ("as painted" / "SAM 2 output" / "fixed").
import type { MaskSource, PromptInfo } from '$api/contract';
import { fillPolygon, paintStroke } from '$shared/raster';

export type EditMode = 'prompt' | 'brush' | 'eraser' | 'polygon';

export const BRUSH_MIN = 1;
export const BRUSH_MAX = 400;

/** [ / ] and Ctrl+wheel: a quarter bigger or smaller, at least one pixel of change, clamped. */
export function brushSizeStep(size: number, by: 1 | -1): number {
  const next = by > 0 ? Math.max(size + 1, Math.round(size * 1.25)) : Math.min(size - 1, Math.round(size / 1.25));
  return Math.min(BRUSH_MAX, Math.max(BRUSH_MIN, next));
}

/** Screen distance (px) within which a click on the first vertex closes the polygon. */
export const CLOSE_RADIUS = 10;

export function closesPolygon(vertices: number, firstOnScreen: [number, number] | null, clickOnScreen: [number, number]): boolean {
  if (vertices < 3 || !firstOnScreen) return false;
  return Math.hypot(firstOnScreen[0] - clickOnScreen[0], firstOnScreen[1] - clickOnScreen[1]) <= CLOSE_RADIUS;
}

export type MaskEdit =
  | { kind: 'stroke'; points: [number, number][]; size: number; erase: boolean }
  /** even-odd fill; subtract: Shift held when it was closed */
  | { kind: 'polygon'; vertices: [number, number][]; subtract: boolean };

/** The object's mask after the edit (base: its current 0/1 mask, null for none). */
export function editedMask(base: Uint8Array | null, width: number, height: number, edit: MaskEdit): Uint8Array {
  const mask = base ? Uint8Array.from(base) : new Uint8Array(width * height);
  const t = { mask, width, height };
  if (edit.kind === 'stroke') paintStroke(t, edit.points, edit.size, edit.erase ? 0 : 1);
  else fillPolygon(t, edit.vertices.flat(), edit.subtract ? 0 : 1, 'even-odd');
  return mask;
}

export type MaskOrigin = 'as painted' | 'SAM 2 output' | 'fixed (imported)';

/** Whether the object's mask on the frame is its mask prompt as given, SAM 2's output, or an imported fixed mask. */
export function maskOrigin(prompts: readonly PromptInfo[], source: MaskSource | undefined, objectId: number, frame: number): MaskOrigin | null {
  if (source === undefined) return null;
  if (source === 'fixed') return 'fixed (imported)';
  return prompts.some((p) => p.objectId === objectId && p.frame === frame && p.hasMask) ? 'as painted' : 'SAM 2 output';
}
