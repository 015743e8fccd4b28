// Rows of the project database as the rest of the app sees them (ids, frames and JSON decoded).
import type { MaskSource, ObjectInfo, PromptInfo, Rle, TrackSummary } from '../../api/contract';
import type { MaskEngineState } from './engine-codec';

export type { MaskSource, ObjectInfo, PromptInfo, Rle, TrackSummary };

export interface VideoRow {
  id: number;
  path: string;
  key: string;
  /** the probe as saved (ProbeResult from core/video; kept as JSON so old projects survive new fields) */
  probe: unknown;
  addedAt: number;
}

export interface ObjectRow extends ObjectInfo {
  deleted: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewObject {
  /** default "Object <id>" */
  name?: string;
  /** default: the palette colour for this id */
  color?: string;
  label?: string;
}

export type ObjectPatch = Partial<Pick<ObjectInfo, 'name' | 'color' | 'label' | 'hidden' | 'locked'>>;

export interface PromptRow {
  objectId: number;
  frame: number;
  points: [number, number][];
  labels: number[];
  box: [number, number, number, number] | null;
  mask: Rle | null;
  createdAt: number;
}

export type PromptWrite = Omit<PromptRow, 'createdAt' | 'mask' | 'box'> & {
  box?: [number, number, number, number] | null;
  mask?: Rle | null;
};

export interface MaskWrite {
  objectId: number;
  frame: number;
  rle: Rle;
  /** object score logit */
  score: number;
  source: MaskSource;
  packId?: string | null;
  runId?: number | null;
  /** the engine's state of this output, so the engine can be restored from the database */
  engine?: MaskEngineState | null;
}

export interface StoredMask extends Required<Omit<MaskWrite, 'engine'>> {
  area: number;
  /** [x, y, w, h], null for an empty mask */
  bbox: [number, number, number, number] | null;
  updatedAt: number;
}

export type RunState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface RunRow {
  id: number;
  kind: string;
  params: unknown;
  packId: string | null;
  startedAt: number;
  finishedAt: number | null;
  state: RunState;
  framesDone: number;
  error: string | null;
}
