// What the overlay encoder needs to know about the source beyond the project's VideoInfo:
// the exact rational frame rate, the colour matrix, range and tags, and the audio codecs.
import { ffmpegInputUrl, runTool } from '../video/tool-runner';
import { fpsRational, parseRational, type OverlaySourceInfo } from './overlay-args';
import { ExportError, type ExportVideo } from './types';
import type { YuvMatrix, YuvRange } from './yuv420';

interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  pix_fmt?: string;
  color_space?: string;
  color_primaries?: string;
  color_transfer?: string;
}

/**
 * ffprobe's `color_space` → the matrix the overlay colour is converted with. Untagged sources
 * get BT.601, ffmpeg's own default when it converts them; BT.2020 constant-luminance has no
 * linear matrix and is treated as its non-constant twin.
 */
export function matrixOf(colorSpace: string | undefined): YuvMatrix {
  if (colorSpace === 'bt709') return 'bt709';
  if (colorSpace === 'bt2020nc' || colorSpace === 'bt2020c') return 'bt2020';
  return 'bt601';
}

/**
 * Full range when the decoder says so by its pixel format: this ffmpeg hands out full-range
 * 4:2:0 as yuvj420p (MJPEG, and H.264/HEVC with the full-range flag), and its scaler keeps a
 * yuvj source full range when converting to yuvj420p. Everything else is limited range.
 */
export function rangeOf(pixFmt: string | undefined): YuvRange {
  return pixFmt?.startsWith('yuvj') ? 'full' : 'limited';
}

/** Pure: ffprobe's JSON streams + the project's video record → the encoder's source description. */
export function overlaySourceFrom(video: ExportVideo, streams: ProbeStream[]): OverlaySourceInfo {
  const v = streams.find((s) => s.codec_type === 'video' && (video.streamIndex === undefined || s.index === video.streamIndex));
  if (!v)
    throw new ExportError(
      'EXPORT_FAILED',
      `${video.path}: ffprobe found no video stream${video.streamIndex === undefined ? '' : ` with index ${video.streamIndex}`}`,
    );
  // prefer the container's exact rational when it agrees with the project's fps (VFR files
  // report a nominal r_frame_rate that can be far from the real average)
  const candidates = [v.r_frame_rate, v.avg_frame_rate].filter((r): r is string => !!r && parseRational(r) > 0);
  const exact = candidates.find((r) => Math.abs(parseRational(r) - video.fps) < 1e-3 * video.fps);
  const known = (t?: string) => (t && t !== 'unknown' && t !== 'reserved' ? t : undefined);
  const space = known(v.color_space);
  return {
    path: video.path,
    streamIndex: v.index ?? 0,
    width: video.width,
    height: video.height,
    fps: exact ?? fpsRational(video.fps),
    matrix: matrixOf(space),
    range: rangeOf(v.pix_fmt),
    // RGB-coded video (`gbr`) reaches us converted by the scaler with its default BT.601 matrix,
    // so that is what the output is tagged with
    colorTags: { space: space === 'gbr' ? 'smpte170m' : space, primaries: known(v.color_primaries), transfer: known(v.color_transfer) },
    audioCodecs: streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name ?? 'unknown'),
  };
}

export async function probeOverlaySource(video: ExportVideo, signal?: AbortSignal): Promise<OverlaySourceInfo> {
  const args = [
    '-v',
    'error',
    '-show_entries',
    'stream=index,codec_type,codec_name,r_frame_rate,avg_frame_rate,pix_fmt,color_space,color_primaries,color_transfer',
    '-of',
    'json',
    '-i',
    ffmpegInputUrl(video.path),
  ];
  // a failure is a ToolRunError (FFMPEG_FAILED with ffprobe's message, or CANCELLED)
  const { stdout } = await runTool('ffprobe', args, { what: `reading the source video ${video.path}`, signal, maxStdoutBytes: 4 << 20 });
  return overlaySourceFrom(video, (JSON.parse(stdout.toString('utf8')) as { streams?: ProbeStream[] }).streams ?? []);
}
