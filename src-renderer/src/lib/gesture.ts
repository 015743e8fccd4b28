// Pointer gestures on the frame → what they mean, as pure decisions. The canvas forwards
// pointer-down/move/up; these functions say whether the press is becoming a pan, a box or
// (on release without movement) a point, so the prompt tool and panning never disagree.
//
// Left click = positive point, right click or Alt+click = negative point, left drag = box,
// middle drag or Alt+drag = pan. Alt does double duty, so an Alt press is a point until the
// pointer travels past DRAG_THRESHOLD_PX, and a pan after that.

export const DRAG_THRESHOLD_PX = 5;
/** A box smaller than this (video pixels) on either side is a slip of the hand, not a box. */
export const MIN_BOX_SIDE = 3;

export interface PressInfo {
  /** 0 left, 1 middle, 2 right */
  button: number;
  altKey: boolean;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

/** What a press does as soon as it starts moving past the threshold. */
export type DragKind = 'pan' | 'box' | 'none';

export function dragKind(p: PressInfo): DragKind {
  if (p.button === 1) return 'pan';
  if (p.button === 0 && p.altKey) return 'pan';
  if (p.button === 0 && !p.ctrlKey && !p.metaKey) return 'box';
  return 'none';
}

/** Middle presses pan at once; nothing else needs a threshold to decide. */
export function pansImmediately(p: PressInfo): boolean {
  return p.button === 1;
}

export function travelled(dx: number, dy: number, threshold = DRAG_THRESHOLD_PX): boolean {
  return dx * dx + dy * dy > threshold * threshold;
}

export type Gesture = { type: 'point'; label: 0 | 1; x: number; y: number } | { type: 'box'; box: [number, number, number, number] } | { type: 'none' };

export interface ReleaseInfo extends PressInfo {
  /** pointer travel in screen (CSS) pixels between press and release */
  dx: number;
  dy: number;
  /** press and release positions in video pixels */
  start: [number, number];
  end: [number, number];
  /** the video's size: points outside it are ignored, boxes are clipped to it */
  width: number;
  height: number;
}

/** The gesture a completed press meant. */
export function classifyRelease(r: ReleaseInfo): Gesture {
  if (r.ctrlKey || r.metaKey) return { type: 'none' };
  const moved = travelled(r.dx, r.dy);
  if (!moved) {
    if (r.button !== 0 && r.button !== 2) return { type: 'none' };
    const [x, y] = r.end;
    if (x < 0 || y < 0 || x >= r.width || y >= r.height) return { type: 'none' };
    const negative = r.button === 2 || r.altKey;
    return { type: 'point', label: negative ? 0 : 1, x, y };
  }
  if (dragKind(r) !== 'box') return { type: 'none' };
  const box = clipBox(r.start, r.end, r.width, r.height);
  return box ? { type: 'box', box } : { type: 'none' };
}

/** Two corners → [x0, y0, x1, y1] inside the video, or null when too small after clipping. */
export function clipBox(a: [number, number], b: [number, number], width: number, height: number): [number, number, number, number] | null {
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  const x0 = clamp(Math.min(a[0], b[0]), width);
  const x1 = clamp(Math.max(a[0], b[0]), width);
  const y0 = clamp(Math.min(a[1], b[1]), height);
  const y1 = clamp(Math.max(a[1], b[1]), height);
  if (x1 - x0 < MIN_BOX_SIDE || y1 - y0 < MIN_BOX_SIDE) return null;
  return [x0, y0, x1, y1];
}
