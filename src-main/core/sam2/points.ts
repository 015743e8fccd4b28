// Prompt points: validation of user input, scaling to the model's S×S space, and the exact
// point list the decoder gets (spec 4.1, 4.3): box corners first (labels 2, 3), then clicks, then
// one padding point (0,0,-1); a frame without points sends (0,0,-1) plus the padding point.
import { EngineError } from './errors';

const fr = Math.fround;

export type Box = [number, number, number, number];

export interface PointPrompt {
  /** video pixels */
  points: [number, number][];
  /** 1 positive, 0 negative */
  labels: number[];
  box?: Box | null;
}

/** A frame's user points for one object, in S×S model pixels (no +0.5 shift; the graph adds it). */
export interface StoredPoints {
  coords: number[];
  labels: number[];
}

export interface DecoderPoints {
  /** [P,2] */
  coords: Float32Array;
  /** [P] */
  labels: Int32Array;
  /** user points (box = 2), for the multimask rule; padding never counts */
  numUserPoints: number;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Throws EngineError (BAD_POINTS / BAD_LABELS / BAD_BOX) for input that cannot be a prompt. */
export function validatePointPrompt(p: PointPrompt, width: number, height: number, clearOld: boolean): void {
  const pts = p.points ?? [];
  const labels = p.labels ?? [];
  if (!Array.isArray(pts)) throw new EngineError('BAD_POINTS', 'points must be a list of [x, y] pairs');
  if (!Array.isArray(labels)) throw new EngineError('BAD_LABELS', 'labels must be a list of 0/1 values');
  const box = p.box ?? null;
  if (pts.length === 0 && !box) throw new EngineError('BAD_POINTS', 'the prompt is empty: give at least one point or a box');
  if (labels.length !== pts.length) throw new EngineError('BAD_LABELS', `there are ${pts.length} points but ${labels.length} labels`);
  pts.forEach((pt, i) => {
    if (!Array.isArray(pt) || pt.length !== 2 || !isFiniteNumber(pt[0]) || !isFiniteNumber(pt[1])) {
      throw new EngineError('BAD_POINTS', `point ${i} must be [x, y] with finite numbers, got ${JSON.stringify(pt)}`);
    }
    if (pt[0] < 0 || pt[0] > width || pt[1] < 0 || pt[1] > height) {
      throw new EngineError('BAD_POINTS', `point ${i} (${pt[0]}, ${pt[1]}) is outside the ${width}x${height} frame`);
    }
  });
  labels.forEach((l, i) => {
    if (l !== 0 && l !== 1) throw new EngineError('BAD_LABELS', `label ${i} is ${JSON.stringify(l)}; labels are 1 (positive) or 0 (negative)`);
  });
  if (box) {
    if (!Array.isArray(box) || box.length !== 4 || !box.every(isFiniteNumber)) {
      throw new EngineError('BAD_BOX', `box must be [x0, y0, x1, y1] with finite numbers, got ${JSON.stringify(box)}`);
    }
    const [x0, y0, x1, y1] = box;
    if (!(x1 > x0) || !(y1 > y0)) throw new EngineError('BAD_BOX', `box [${box.join(', ')}] has zero or negative area (needs x1 > x0 and y1 > y0)`);
    if (x0 < 0 || y0 < 0 || x1 > width || y1 > height) throw new EngineError('BAD_BOX', `box [${box.join(', ')}] is outside the ${width}x${height} frame`);
    // the reference refuses a box added to existing points (one box per object and frame, first)
    if (!clearOld) throw new EngineError('BAD_BOX', "a box replaces the frame's prompt: it cannot be added with clearOld = false");
  }
}

/** Video pixels → model pixels, as the official predictor: fround(fround(x / W) · S). */
export function toModelSpace(v: number, videoSize: number, modelSize: number): number {
  return fr(fr(v / videoSize) * modelSize);
}

/** The frame's new user point list (box corners first, then clicks), appended to the old one unless clearOld. */
export function buildStoredPoints(
  p: PointPrompt,
  existing: StoredPoints | undefined,
  clearOld: boolean,
  width: number,
  height: number,
  modelSize: number,
): StoredPoints {
  const coords: number[] = [];
  const labels: number[] = [];
  if (p.box) {
    const [x0, y0, x1, y1] = p.box;
    coords.push(
      toModelSpace(x0, width, modelSize),
      toModelSpace(y0, height, modelSize),
      toModelSpace(x1, width, modelSize),
      toModelSpace(y1, height, modelSize),
    );
    labels.push(2, 3);
  }
  p.points.forEach(([x, y], i) => {
    coords.push(toModelSpace(x, width, modelSize), toModelSpace(y, height, modelSize));
    labels.push(p.labels[i]!);
  });
  if (!clearOld && existing) return { coords: [...existing.coords, ...coords], labels: [...existing.labels, ...labels] };
  return { coords, labels };
}

/** The decoder's point list: user points (or the not-a-point dummy) plus the padding point. */
export function decoderPoints(stored: StoredPoints | null): DecoderPoints {
  if (!stored || stored.labels.length === 0) {
    return { coords: new Float32Array(4), labels: new Int32Array([-1, -1]), numUserPoints: 0 };
  }
  const n = stored.labels.length;
  const coords = new Float32Array((n + 1) * 2);
  coords.set(stored.coords);
  const labels = new Int32Array(n + 1);
  labels.set(stored.labels);
  labels[n] = -1;
  return { coords, labels, numUserPoints: n };
}
