// `maskline track`: the engine headless. Prompts from a JSON file, then one propagation; writes
// DIR/<objectId>/<frame:05d>.png (0/255 at video resolution), DIR/scores.json and, with
// --dump-logits, DIR/<objectId>/<frame:05d>.lowres.f32 (low-res logits after the no-object
// replacement, little-endian float32, row-major). --out follows the export's ownership rule
// (core/export/staging.ts): names holding files an earlier run did not write refuse the run.
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { describeProviders, providerFlag, providerFlagSpec } from '../provider-flag';
import { memoryFlag, memoryFlagSpec } from '../memory-flag';
import { relaunchForLean } from '../glibc-relaunch';
import { mallocAdvice } from '../../core/sam2/memory-mode';
import { EngineError } from '../../core/sam2/errors';
import { OutputStaging } from '../../core/export/staging';
import { encodeBinaryMaskPng } from '../../core/masks/png';
import { readTrackPrompts } from '../../core/sam2/track-prompts';
import { EngineClient, type SourceSpec } from '../../engine/engine-client';

function sourceOf(video: string): SourceSpec {
  let isDir: boolean;
  try {
    isDir = statSync(video).isDirectory();
  } catch {
    throw new UsageError(`--video ${video} does not exist`);
  }
  return isDir ? { kind: 'folder', dir: video } : { kind: 'video', path: video };
}

function intFlag(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UsageError(`--${name} must be an integer ≥ 0, got ${v}`);
  return v;
}

const f32Bytes = (a: Float32Array): Buffer => {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeFloatLE(a[i]!, i * 4);
  return b;
};

export const trackCommand: CliCommand = {
  name: 'track',
  summary: 'Track objects through a video headless (SAM 2.1): one PNG per object and frame, scores.json',
  flags: {
    model: { type: 'path', required: true, help: 'model pack folder (maskline-sam2 or maskline-edgetam v1)' },
    video: { type: 'path', required: true, help: 'video file, or a folder of numbered JPEG/PNG frames' },
    prompts: {
      type: 'path',
      required: true,
      help: 'prompts.json: {"objects":[{"id":1,"prompts":[{"frame":0,"points":[[x,y]],"labels":[1],"box":[x0,y0,x1,y1]}]}]} in video pixels',
    },
    out: { type: 'path', required: true, help: 'output folder: <objectId>/<frame:05d>.png and scores.json' },
    provider: providerFlagSpec,
    memory: memoryFlagSpec,
    reverse: { type: 'switch', help: 'propagate backwards' },
    start: { type: 'number', help: 'first frame of the propagation (default: the earliest prompted frame)' },
    'max-frames': { type: 'number', help: 'propagate over at most this many frames after the start' },
    'dump-logits': { type: 'switch', help: 'also write <objectId>/<frame:05d>.lowres.f32 (low-res logits, float32 LE)' },
    threads: { type: 'number', help: 'onnxruntime threads per graph (default: number of cores)' },
    'fill-holes': {
      type: 'number',
      help: 'fill background holes up to this many low-res pixels, as the official predictor (default 8; 0 = off, as transformers)',
    },
  },
  async run(flags) {
    const provider = providerFlag(flags.provider);
    const memory = memoryFlag(flags.memory);
    const start = intFlag(flags.start, 'start');
    const maxFrames = intFlag(flags['max-frames'], 'max-frames');
    const threads = intFlag(flags.threads, 'threads');
    const fillHoleArea = intFlag(flags['fill-holes'], 'fill-holes');
    const outDir = flags.out as string;
    const dump = flags['dump-logits'] === true;
    const objects = readTrackPrompts(flags.prompts as string);
    const source = sourceOf(flags.video as string);

    // lean on glibc needs a malloc setting only a process start can make: once its flags are valid, this command starts again with it
    const relaunched = relaunchForLean(memory);
    if (relaunched) return relaunched;
    // the export's ownership rule: our names holding files we did not write refuse the run before any work;
    // results are staged and renamed into place at the end (a failed or cancelled run leaves nothing)
    const staging = await OutputStaging.open(outDir, [...objects.map((o) => String(o.id)), 'scores.json']);
    const client = EngineClient.start();
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    // on, not once: a relaunched command gets Ctrl-C twice (glibc-relaunch.ts), and aborting again changes nothing
    process.on('SIGINT', onSigint);
    try {
      // headless: no playhead to pre-encode around, so no window either (the feature budget shrinks with it)
      const info = await client.open(
        flags.model as string,
        source,
        { provider, memory, threads: threads || undefined, fillHoleArea, preencodeWindow: 0 },
        { enabled: false, window: 0 },
      );
      console.error(
        `maskline track: ${info.numFrames} frames ${info.width}x${info.height}, ${info.pack.name}; ${describeProviders(info.providers, info.fallbackReason)}; memory ${info.memory.mode} (${info.memory.reason})`,
      );
      const advice = mallocAdvice(process.platform, info.memory.mode, process.env.GLIBC_TUNABLES);
      if (advice) console.error(`maskline track: ${advice}`);
      for (const o of objects) {
        for (const [j, p] of o.prompts.entries()) {
          try {
            await client.addPoints(p.frame, o.id, { points: p.points, labels: p.labels, box: p.box }, { masks: false });
          } catch (e) {
            if (e instanceof EngineError) throw new EngineError(e.code, `prompts for object ${o.id} (prompt ${j}, frame ${p.frame}): ${e.message}`);
            throw e;
          }
        }
      }
      const dirs = new Map<number, string>();
      for (const o of objects) dirs.set(o.id, await staging.folder(String(o.id)));
      const scores: Record<string, Record<string, number>> = Object.fromEntries(objects.map((o) => [String(o.id), {}]));
      const order: number[] = [];
      let lastReport = 0;
      for await (const f of client.propagate({ start, maxFrames, reverse: flags.reverse === true, lowRes: dump, signal: ac.signal })) {
        order.push(f.frame);
        const name = String(f.frame).padStart(5, '0');
        await Promise.all(
          f.objects.flatMap((o) => {
            scores[String(o.objId)]![String(f.frame)] = o.scoreLogit;
            const dir = dirs.get(o.objId)!;
            const jobs = [encodeBinaryMaskPng(o.mask!, info.width, info.height).then((png) => writeFile(join(dir, `${name}.png`), png))];
            if (dump) jobs.push(writeFile(join(dir, `${name}.lowres.f32`), f32Bytes(o.lowRes!)));
            return jobs;
          }),
        );
        if (Date.now() - lastReport > 2000 || f.index + 1 === f.total) {
          lastReport = Date.now();
          console.error(`maskline track: ${f.index + 1}/${f.total} frames`);
        }
      }
      await writeFile(staging.file('scores.json'), JSON.stringify({ frames: order, objects: scores }, null, 1));
      await staging.commit();
      for (const w of staging.warnings) console.error(`maskline track: ${w}`);
      console.log(`maskline track: wrote ${order.length} frames × ${objects.length} objects to ${outDir}`);
      return 0;
    } catch (e) {
      await staging.discard();
      if (e instanceof EngineError && e.code === 'CANCELLED') {
        console.error('maskline track: cancelled');
        return 130;
      }
      throw e;
    } finally {
      process.off('SIGINT', onSigint);
      await client.close();
    }
  },
};
