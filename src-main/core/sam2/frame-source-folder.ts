// A folder of numbered frames, as SAM 2's own video predictor reads them: files named
// <integer>.jpg|.jpeg|.png, sorted by that integer; frame i is the i-th file. The app's frame
// extractor writes exactly this (<cacheDir>/00000.jpg, ...).
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from './errors';
import { checkFrameIndex, type FrameSource } from './frame-source';
import { decodeImage } from './image-decode';
import type { RgbFrame } from './preprocess';

const FRAME_NAME = /^(\d+)\.(jpe?g|png)$/i;

/** The frame files of a folder in frame order (pure over the listing; unit-tested). */
export function orderFrameFiles(names: readonly string[]): string[] {
  const numbered = names.map((n) => ({ n, m: FRAME_NAME.exec(n) })).filter((x) => x.m);
  const byIndex = new Map<number, string>();
  for (const { n, m } of numbered) {
    const idx = Number.parseInt(m![1]!, 10);
    const prev = byIndex.get(idx);
    if (prev !== undefined) throw new EngineError('FRAME_SOURCE', `frames ${prev} and ${n} have the same number ${idx}`);
    byIndex.set(idx, n);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

export class FolderFrameSource implements FrameSource {
  readonly numFrames: number;
  readonly width: number;
  readonly height: number;
  readonly label: string;

  private constructor(
    private readonly dir: string,
    private readonly files: string[],
    first: RgbFrame,
  ) {
    this.numFrames = files.length;
    this.width = first.width;
    this.height = first.height;
    this.label = dir;
  }

  static async open(dir: string): Promise<FolderFrameSource> {
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a folder');
      names = readdirSync(dir);
    } catch (e) {
      throw new EngineError('FRAME_SOURCE', `cannot read the frame folder ${dir}: ${(e as Error).message}`);
    }
    const files = orderFrameFiles(names);
    if (files.length === 0) throw new EngineError('FRAME_SOURCE', `${dir} holds no numbered frames (expected files like 00000.jpg or 0.png)`);
    const first = await readFrameFile(dir, files[0]!);
    return new FolderFrameSource(dir, files, first);
  }

  async read(index: number): Promise<RgbFrame> {
    checkFrameIndex(this, index);
    const f = await readFrameFile(this.dir, this.files[index]!);
    if (f.width !== this.width || f.height !== this.height) {
      throw new EngineError('FRAME_SOURCE', `${join(this.dir, this.files[index]!)} is ${f.width}x${f.height}, the first frame is ${this.width}x${this.height}`);
    }
    return f;
  }

  async close(): Promise<void> {}

  fileOf(index: number): string {
    return join(this.dir, this.files[index]!);
  }
}

async function readFrameFile(dir: string, name: string): Promise<RgbFrame> {
  const path = join(dir, name);
  try {
    return decodeImage(await readFile(path), name);
  } catch (e) {
    throw new EngineError('FRAME_SOURCE', `cannot decode frame ${path}: ${(e as Error).message}`);
  }
}
