// How long a segment-everything run will take, from this pack's speed measured on this machine
// (the engine times one decoder batch of segment everything when a pack is first used with a
// provider: core/sam2/frame-timing.ts, kept per pack and provider in models/.pack-speed.json).
// No constants from another machine: without a measurement the panel says so. Pure, table-tested.
import type { PackSpeed } from '$api/contract';
import { AMG_POINTS_PER_BATCH } from './segment-form';

export interface MeasuredSpeed {
  /** one mask-decoder call of `batch` points, ms */
  batchMs: number;
  batch: number;
  /** one image encoding, ms */
  encoderMs: number;
  provider: string;
}

/** The measurement in a pack's speed, or null when it has none (measured before this figure existed, or never). */
export function measuredSpeed(speed: PackSpeed | null | undefined): MeasuredSpeed | null {
  if (!speed || !(speed.amgBatchMs !== undefined && speed.amgBatchMs >= 0) || !(speed.amgBatch! > 0)) return null;
  return { batchMs: speed.amgBatchMs, batch: speed.amgBatch!, encoderMs: speed.graphs.image_encoder ?? 0, provider: speed.provider };
}

/**
 * A finished run's own time per decoder call replaces the one-call measurement: its wall time
 * less its encodings, over its decoder calls — so it also counts the filtering of each call's
 * masks, which dominates with tiny graphs, and it is this machine as it is now. The encoder
 * figure stays the pack's. The panel's runs only make full batches (points per side 8–64,
 * squared, are multiples of 64).
 */
export function speedFromRun(
  run: { totalMs: number; encoderMs: number; decoderCalls: number } | null,
  measured: MeasuredSpeed | null,
  batch = AMG_POINTS_PER_BATCH,
): MeasuredSpeed | null {
  if (!run || !(run.decoderCalls > 0) || !measured) return measured;
  return { ...measured, batchMs: Math.max(0, run.totalMs - run.encoderMs) / run.decoderCalls, batch };
}

export interface RunShape {
  pointsPerSide: number;
  /** 0 or 1 (layer 1: 4 more crops, each with as many points as the frame) */
  cropNLayers: number;
  useM2m: boolean;
  /** points per decoder call */
  pointsPerBatch?: number;
  /** the frame's features are cached (pre-encoded or clicked on): no encoding for the whole frame */
  frameEncoded: boolean;
}

/**
 * Seconds: every crop's points go through the decoder in batches (the last one of a crop may be
 * short but still a call), with m2m the three masks of each point once more; the crops are
 * encoded, and the frame too unless its features are cached. A decoder call's time is taken as
 * proportional to its batch when the batch differs from the measured one.
 */
export function estimateSeconds(r: RunShape, m: MeasuredSpeed | null): number | null {
  if (!m) return null;
  const batch = r.pointsPerBatch ?? AMG_POINTS_PER_BATCH;
  const crops = r.cropNLayers === 1 ? 5 : 1;
  const perCrop = r.pointsPerSide ** 2;
  let calls = crops * Math.ceil(perCrop / batch);
  if (r.useM2m) calls += crops * Math.ceil((3 * perCrop) / batch);
  const msPerCall = (m.batchMs * batch) / m.batch;
  const encodes = crops - 1 + (r.frameEncoded ? 0 : 1);
  return (calls * msPerCall + encodes * m.encoderMs) / 1000;
}

const where = (provider: string) => (provider === 'cpu' ? 'on the CPU' : `with ${provider.toUpperCase()}`);

/** "1,024 points · ≈ 41 s on the CPU"; without a measurement, says that it is measured when the model is first used. */
export function describeEstimate(points: number, seconds: number | null, provider: string | null): string {
  const pts = `${points.toLocaleString('en-US')} points`;
  if (seconds === null || provider === null) return `${pts} · time measured once the model has loaded`;
  const t =
    seconds < 0.95 ? '< 1 s' : seconds < 9.95 ? `≈ ${seconds.toFixed(1)} s` : seconds < 90 ? `≈ ${Math.round(seconds)} s` : `≈ ${Math.round(seconds / 60)} min`;
  return `${pts} · ${t} ${where(provider)}`;
}
