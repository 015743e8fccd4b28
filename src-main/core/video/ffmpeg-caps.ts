// What the chosen ffmpeg binary can do: which codecs it decodes and how it spells "one output
// frame per decoded frame". One-shot text queries without progress or cancel, so plain
// child_process is simpler here than going through fluent-ffmpeg. Cached per binary path.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireTool } from './ffmpeg-tools';

const run = promisify(execFile);

const codecCache = new Map<string, Promise<Set<string>>>();
const syncCache = new Map<string, Promise<string[]>>();

/** Parse `ffmpeg -codecs`: codec names whose first flag is D (decoding supported). Pure, tested. */
export function parseDecodableCodecs(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s([D.])[E.][VASDT.][I.][L.][S.]\s+(\S+)/.exec(line);
    if (m && m[1] === 'D' && m[2] !== '=') out.add(m[2]!);
  }
  return out;
}

export function decodableCodecs(): Promise<Set<string>> {
  const bin = requireTool('ffmpeg').path;
  let p = codecCache.get(bin);
  if (!p) {
    p = run(bin, ['-hide_banner', '-codecs'], { maxBuffer: 16 << 20 }).then((r) => parseDecodableCodecs(r.stdout));
    p.catch(() => codecCache.delete(bin));
    codecCache.set(bin, p);
  }
  return p;
}

/**
 * Output options that make every decoded frame one output image, with no duplicates or drops
 * (what VFR videos need). ffmpeg ≥ 5.1 spells it -fps_mode; older builds only know -vsync.
 */
export function passthroughSyncArgs(): Promise<string[]> {
  const bin = requireTool('ffmpeg').path;
  let p = syncCache.get(bin);
  if (!p) {
    p = run(bin, ['-hide_banner', '-h', 'long'], { maxBuffer: 16 << 20 }).then((r) =>
      /^-fps_mode\b/m.test(r.stdout) ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough'],
    );
    p.catch(() => syncCache.delete(bin));
    syncCache.set(bin, p);
  }
  return p;
}
