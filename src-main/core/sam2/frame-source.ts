// Where the predictor reads video frames from: random access, async, RGB uint8.
// Implementations: in-memory frames (tests), a folder of numbered JPEG/PNG frames (the app's
// frame cache, SAM 2 style), a video file decoded once by ffmpeg (the CLI).
import { EngineError } from './errors';
import type { RgbFrame } from './preprocess';

export type { RgbFrame } from './preprocess';

export interface FrameSource {
  readonly numFrames: number;
  readonly width: number;
  readonly height: number;
  /** a short description for messages (folder or file path) */
  readonly label: string;
  read(index: number): Promise<RgbFrame>;
  close(): Promise<void>;
}

export function checkFrameIndex(src: Pick<FrameSource, 'numFrames' | 'label'>, index: number, what = 'frame'): void {
  if (!Number.isInteger(index) || index < 0 || index >= src.numFrames) {
    throw new EngineError('BAD_FRAME', `${what} ${JSON.stringify(index)} does not exist: ${src.label} has frames 0..${src.numFrames - 1}`);
  }
}

/** Frames held in memory (tests, small clips). All frames must share one size. */
export class MemoryFrameSource implements FrameSource {
  readonly numFrames: number;
  readonly width: number;
  readonly height: number;
  readonly label: string;
  constructor(
    private readonly frames: RgbFrame[],
    label = 'in-memory video',
  ) {
    if (frames.length === 0) throw new EngineError('FRAME_SOURCE', `${label} has no frames`);
    this.width = frames[0]!.width;
    this.height = frames[0]!.height;
    frames.forEach((f, i) => {
      if (f.width !== this.width || f.height !== this.height)
        throw new EngineError('FRAME_SOURCE', `${label}: frame ${i} is ${f.width}x${f.height}, frame 0 is ${this.width}x${this.height}`);
      if (f.data.length !== f.width * f.height * 3)
        throw new EngineError('FRAME_SOURCE', `${label}: frame ${i} has ${f.data.length} bytes, expected ${f.width * f.height * 3} (RGB)`);
    });
    this.numFrames = frames.length;
    this.label = label;
  }
  async read(index: number): Promise<RgbFrame> {
    checkFrameIndex(this, index);
    return this.frames[index]!;
  }
  async close(): Promise<void> {}
}
