// Probe a video file: check the file itself, ask ffprobe, and turn the answer into a
// ProbeResult (probe-interpret.ts) or one clear VideoError. ffprobe runs through the tool
// runner, which collects its JSON and kills it on abort.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { decodableCodecs } from './ffmpeg-caps';
import { VideoError, cancelledError } from './errors';
import { ffmpegInputUrl, runTool, ToolRunError } from './tool-runner';
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

export async function probeVideo(path: string, opts: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
  await checkVideoFile(path);
  const json = await runFfprobe(path, opts.signal);
  const codecs = await decodableCodecs();
  return interpretProbe(json, path, (c) => codecs.has(c));
}

async function runFfprobe(path: string, signal?: AbortSignal): Promise<FfprobeJson> {
  // -count_packets: an exact frame count for every container (see probe-interpret.ts).
  const args = ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams', '-count_packets', '-i', ffmpegInputUrl(path)];
  let stdout: Buffer;
  try {
    ({ stdout } = await runTool('ffprobe', args, { what: `Reading ${path}`, signal, maxStdoutBytes: 32 << 20 }));
  } catch (err) {
    if (!(err instanceof ToolRunError)) throw err;
    if (err.aborted) throw cancelledError('Reading the video');
    if (err.code === 'FFMPEG_MISSING') throw err;
    throw ffprobeFailure(path, err.stderrTail.join('\n'), readHead(path));
  }
  try {
    return JSON.parse(stdout.toString('utf8')) as FfprobeJson;
  } catch {
    throw new VideoError('NOT_A_VIDEO', `${path} could not be read as a video (ffprobe gave no usable answer).`, { file: path });
  }
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
    return new VideoError('TRUNCATED', `${path} is an incomplete MP4/MOV: its index (moov) is missing, usually because recording or copying stopped early.`, {
      file: path,
      ffprobe: msg,
    });
  }
  if (/Invalid data found when processing input|could not find codec parameters|unknown format/i.test(stderr)) {
    return new VideoError('NOT_A_VIDEO', `${path} is not a video file ffmpeg can read.`, { file: path, ffprobe: msg });
  }
  return new VideoError('NOT_A_VIDEO', `${path} could not be read as a video: ${msg || 'ffprobe failed'}.`, { file: path, ffprobe: msg });
}
