// Probe a video file: check the file itself, ask ffprobe, and turn the answer into a
// ProbeResult (probe-interpret.ts) or one clear VideoError. ffprobe runs through plain
// execFile because we need its JSON on stdout in one piece, not a running command with
// progress; the AbortSignal kills it.
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodableCodecs } from './ffmpeg-caps';
import { requireTool, ToolMissingError } from './ffmpeg-tools';
import { VideoError, cancelledError } from './errors';
import { interpretProbe, type FfprobeJson } from './probe-interpret';
import type { ProbeResult } from './types';

export { MAX_LONG_SIDE, WARN_LONG_SIDE } from './probe-interpret';

/** Exists, is a regular file, is readable and not empty; throws the matching VideoError. */
export async function checkVideoFile(path: string): Promise<{ size: number }> {
  if (typeof path !== 'string' || path.trim() === '') throw new VideoError('FILE_NOT_FOUND', 'No video file was given.');
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new VideoError('FILE_NOT_FOUND', `${path} does not exist.`, { file: path });
    throw new VideoError('NOT_READABLE', `${path} cannot be read (${code}).`, { file: path });
  }
  if (!st.isFile()) throw new VideoError('NOT_A_FILE', `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}, not a video file.`, { file: path });
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new VideoError('NOT_READABLE', `${path} cannot be read: permission denied.`, { file: path });
  }
  if (st.size === 0) throw new VideoError('EMPTY_FILE', `${path} is empty (0 bytes).`, { file: path });
  return { size: st.size };
}

/** ffmpeg reads "name:rest" as a protocol; `file:` keeps odd names (colons, leading dashes) plain files. */
export function ffmpegInputUrl(path: string): string {
  return `file:${resolve(path)}`;
}

export async function probeVideo(path: string, opts: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
  await checkVideoFile(path);
  const json = await runFfprobe(path, opts.signal);
  let codecs: Set<string>;
  try {
    codecs = await decodableCodecs();
  } catch (err) {
    if (err instanceof ToolMissingError) throw new VideoError('FFMPEG_MISSING', err.message);
    throw err;
  }
  return interpretProbe(json, path, (c) => codecs.has(c));
}

function runFfprobe(path: string, signal?: AbortSignal): Promise<FfprobeJson> {
  let bin: string;
  try {
    bin = requireTool('ffprobe').path;
  } catch (err) {
    if (err instanceof ToolMissingError) throw new VideoError('FFMPEG_MISSING', err.message);
    throw err;
  }
  // -count_packets: an exact frame count for every container (see probe-interpret.ts).
  const args = ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams', '-count_packets', ffmpegInputUrl(path)];
  return new Promise((resolvePromise, reject) => {
    execFile(bin, args, { maxBuffer: 32 << 20, signal, windowsHide: true }, (err, stdout, stderr) => {
      if (signal?.aborted) return reject(cancelledError('Reading the video'));
      if (err) return reject(ffprobeFailure(path, String(stderr), readHead(path)));
      try {
        resolvePromise(JSON.parse(stdout) as FfprobeJson);
      } catch {
        reject(new VideoError('NOT_A_VIDEO', `${path} could not be read as a video (ffprobe gave no usable answer).`, { file: path }));
      }
    });
  });
}

function readHead(path: string): Buffer {
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(12);
      return b.subarray(0, readSync(fd, b, 0, 12, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

/** An ISO media (MP4/MOV) file starts with a box header: 4 size bytes, then a known box type. */
export function looksLikeIsoMedia(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const type = Buffer.from(head.subarray(4, 8)).toString('latin1');
  return ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(type);
}

/** Which error a failed ffprobe means, from its message and the file's first bytes. Exported for tests. */
export function ffprobeFailure(path: string, stderr: string, head: Uint8Array): VideoError {
  const msg = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  // The MP4 demuxer is picked by extension too: a text file named .mp4 also has "no moov".
  if (/moov atom not found/i.test(stderr) && looksLikeIsoMedia(head)) {
    return new VideoError('TRUNCATED', `${path} is an incomplete MP4/MOV: its index (moov) is missing, usually because recording or copying stopped early.`, { file: path, ffprobe: msg });
  }
  if (/Invalid data found when processing input|could not find codec parameters|unknown format/i.test(stderr)) {
    return new VideoError('NOT_A_VIDEO', `${path} is not a video file ffmpeg can read.`, { file: path, ffprobe: msg });
  }
  return new VideoError('NOT_A_VIDEO', `${path} could not be read as a video: ${msg || 'ffprobe failed'}.`, { file: path, ffprobe: msg });
}
