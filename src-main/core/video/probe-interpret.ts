// From ffprobe's JSON to the app's ProbeResult, or one clear VideoError. Pure: the JSON and
// the decoder list come in, so every rule below is table-tested with hand-written JSON.
import { VideoError } from './errors';
import type { ProbeResult } from './types';

/** Refuse beyond this many pixels on the long side: 8K UHD (7680) and DCI 8K (8192) still open. */
export const MAX_LONG_SIDE = 8192;
/** Above 4K, warn: each frame is a large JPEG and a large image for the encoder. */
export const WARN_LONG_SIDE = 4096;

export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface FfprobeJson {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

export function interpretProbe(json: FfprobeJson, file: string, canDecode: (codec: string) => boolean): ProbeResult {
  const streams = json.streams ?? [];
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  // Cover art in music files is a one-picture "video" stream; it is not a video.
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video) {
    throw new VideoError('NO_VIDEO_STREAM', hasAudio ? `${file} has only audio, no video to annotate.` : `${file} has no video stream.`, { file });
  }
  const formatName = json.format?.format_name ?? '';
  const packets = toInt(video.nb_read_packets);
  const declared = toInt(video.nb_frames);
  if (/(^|,)(image2|[a-z0-9]+_pipe)(,|$)/.test(formatName) && (packets ?? declared ?? 1) <= 1) {
    throw new VideoError('NOT_A_VIDEO', `${file} is a still image, not a video.`, { file, format: formatName });
  }
  const codec = video.codec_name && video.codec_name !== 'none' ? video.codec_name : null;
  if (!codec || !canDecode(codec)) {
    const what = codec ?? `unknown (tag ${video.codec_tag_string ?? '?'})`;
    throw new VideoError('UNSUPPORTED_CODEC', `${file} uses the video codec ${what}, which this ffmpeg cannot decode. Convert it to H.264 (MP4) first.`, {
      file,
      codec: what,
    });
  }
  const codedW = video.width ?? 0;
  const codedH = video.height ?? 0;
  if (!(codedW > 0 && codedH > 0)) {
    throw new VideoError('NOT_A_VIDEO', `${file} has a video stream without a picture size; it is damaged or not a video.`, { file });
  }
  const rotation = rotationOf(video);
  const turned = rotation === 90 || rotation === 270;
  const width = turned ? codedH : codedW;
  const height = turned ? codedW : codedH;
  const longSide = Math.max(width, height);
  if (longSide > MAX_LONG_SIDE) {
    throw new VideoError(
      'TOO_LARGE',
      `${file} is ${width}×${height}; Maskline opens videos up to ${MAX_LONG_SIDE} pixels on the long side (8K). Scale it down first.`,
      { file, width, height, max: MAX_LONG_SIDE },
    );
  }
  // Count read packets (one per frame for every codec we decode); the container's own count
  // only tells us when the file stops early.
  const frames = packets ?? declared ?? 0;
  if (frames === 0) throw new VideoError('NO_VIDEO_STREAM', `${file} has a video stream with no frames in it.`, { file });
  if (packets !== null && declared !== null && declared > packets) {
    throw new VideoError(
      'TRUNCATED',
      `${file} ends early: it should hold ${declared} frames but only ${packets} can be read. It may still be copying or downloading.`,
      { file, declared, readable: packets },
    );
  }
  const duration = toFloat(video.duration) ?? toFloat(json.format?.duration);
  const avg = toRate(video.avg_frame_rate);
  const real = toRate(video.r_frame_rate);
  const fps = avg ?? (duration ? frames / duration : null) ?? real ?? 0;
  const variableFrameRate = avg !== null && real !== null && Math.abs(real - avg) / avg > 0.01;
  const warnings: string[] = [];
  if (longSide > WARN_LONG_SIDE) {
    warnings.push(`This video is ${width}×${height}: its frames take a lot of disk space and memory, and tracking is slower than at HD.`);
  }
  if (variableFrameRate) warnings.push('This video has a variable frame rate: frames are numbered as decoded, the fps shown is an average.');
  return {
    frames,
    fps,
    width,
    height,
    durationSec: duration ?? (fps > 0 ? frames / fps : 0),
    rotation,
    codec,
    hasAudio,
    pixFmt: video.pix_fmt ?? 'unknown',
    variableFrameRate,
    streamIndex: video.index,
    warnings,
  };
}

/**
 * Clockwise degrees a player turns the stored picture. The display matrix's rotation is
 * counter-clockwise (av_display_rotation_get), the legacy `rotate` tag is clockwise.
 */
export function rotationOf(s: Pick<FfprobeStream, 'side_data_list' | 'tags'>): number {
  const sd = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  const raw = sd ? -sd.rotation! : s.tags?.rotate !== undefined ? Number(s.tags.rotate) : 0;
  if (!Number.isFinite(raw)) return 0;
  return (((Math.round(raw / 90) * 90) % 360) + 360) % 360;
}

function toInt(v: string | undefined): number | null {
  if (v === undefined || v === 'N/A') return null;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function toFloat(v: string | undefined): number | null {
  if (v === undefined || v === 'N/A') return null;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function toRate(v: string | undefined): number | null {
  if (!v) return null;
  const [num, den] = v.split('/').map(Number);
  const r = den ? num! / den : num!;
  return Number.isFinite(r) && r > 0 ? r : null;
}
