// The saved view of a project (project.saveView, setting 'view'), read back defensively: a setting
// written by another version or damaged by hand gives no view rather than a failed open. Pure.
import type { SavedView } from '../api/contract';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function readSavedView(v: unknown): SavedView | null {
  if (typeof v !== 'object' || v === null) return null;
  const s = v as Record<string, unknown>;
  if (!Number.isInteger(s.frame) || (s.frame as number) < 0) return null;
  let zoom: SavedView['zoom'] = null;
  if (s.zoom !== null && s.zoom !== undefined) {
    const z = s.zoom as Record<string, unknown>;
    if (typeof z !== 'object' || !finite(z.scale) || z.scale <= 0 || !finite(z.tx) || !finite(z.ty)) return null;
    zoom = { scale: z.scale, tx: z.tx, ty: z.ty };
  }
  const objectId = Number.isInteger(s.objectId) && (s.objectId as number) > 0 ? (s.objectId as number) : null;
  return { frame: s.frame as number, zoom, objectId };
}
