// What the chosen ffmpeg binary can do: which codecs it decodes and how it spells "one output
// frame per decoded frame". One-shot text queries through the tool runner, cached per binary.
import { runTool, toolPath } from './tool-runner';

const ask = async (args: string[], what: string) => (await runTool('ffmpeg', args, { what, maxStdoutBytes: 16 << 20 })).stdout.toString('utf8');

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
  const bin = toolPath('ffmpeg');
  let p = codecCache.get(bin);
  if (!p) {
    p = ask(['-hide_banner', '-codecs'], 'Listing the codecs ffmpeg decodes').then(parseDecodableCodecs);
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
  const bin = toolPath('ffmpeg');
  let p = syncCache.get(bin);
  if (!p) {
    p = ask(['-hide_banner', '-h', 'long'], "Reading ffmpeg's options").then((help) =>
      /^-fps_mode\b/m.test(help) ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough'],
    );
    p.catch(() => syncCache.delete(bin));
    syncCache.set(bin, p);
  }
  return p;
}
