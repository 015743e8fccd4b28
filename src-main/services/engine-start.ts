// How the engine opens for a transport. A headless run (`maskline run` and the batch worker, both
// transport 'cli') has no playhead that ever rests, so pre-encoding there would only start the
// pre-encoding thread for frame 0's window: a second image-encoder session (~140 MB for
// hiera-tiny, plus its arena where the plan gives it one) that nobody is waiting for. Off, with
// no window, the feature budget shrinks to the memory bank too (as `maskline track` opens it).
// The app's transports keep the default (on, ±4 frames) until the user changes it.
import type { AppInfo, PreencodeSettings } from '../api/contract';
import type { PredictorOptions } from '../core/sam2/predictor';

export interface EngineStart {
  /** pre-encoding when the engine opens (engine.setPreencode changes it later) */
  preencode: Partial<PreencodeSettings>;
  /** options the engine opens with before the caller's own (which win) */
  engine: Pick<PredictorOptions, 'preencodeWindow'>;
}

export function engineStartFor(transport: AppInfo['transport']): EngineStart {
  if (transport === 'cli') return { preencode: { enabled: false, window: 0 }, engine: { preencodeWindow: 0 } };
  return { preencode: {}, engine: {} };
}
