// Messages between the labels client (service thread) and the labels worker thread, where CLIP's
// onnxruntime runs block nothing but that thread. Each request has an id and gets one result or
// error; long requests stream progress; cancel aborts the request with that id.
import type { Rle } from '../api/contract';
import type { ClipVariant, CropOptions, LabelSet, Ranked } from '../core/labels';

export interface TrackPicks {
  objectId: number;
  /** the masks to crop (already chosen from the track), most confident first */
  picks: { frame: number; score: number; rle: Rle }[];
}

export interface Requests {
  open: [{ dir: string; variant: ClipVariant; threads?: number }, { dim: number; name: string }];
  tracks: [{ framesDir: string; set: LabelSet; tracks: TrackPicks[]; crop?: Partial<CropOptions> }, { objectId: number; frames: number[]; ranked: Ranked[] }[]];
  masks: [{ framesDir: string; frame: number; set: LabelSet; masks: Rle[]; crop?: Partial<CropOptions> }, (Ranked[] | null)[]];
}

export type RequestName = keyof Requests;

export type ToWorker = { [K in RequestName]: { type: K; id: number; args: Requests[K][0] } }[RequestName] | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: { code: string; message: string } }
  | { type: 'progress'; id: number; done: number; total: number };
