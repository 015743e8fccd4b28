// The facts `maskline doctor` reports: tools, data folder, the installed pack, and each provider
// tried for real — the pack opened on it alone and a 2-frame clip run (a click on frame 0, then
// one tracked frame), timing every graph's first call and a later one.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { installFolder, listPacks, modelsFolders } from '../../core/models';
import { MemoryFrameSource } from '../../core/sam2/frame-source';
import { loadPack } from '../../core/sam2/pack';
import { Sam2VideoPredictor } from '../../core/sam2/predictor';
import { providerNotForAuto, providerUnavailable } from '../../core/sam2/provider-availability';
import { PROVIDER_NAMES, providerPlan, type ProviderName } from '../../core/sam2/provider-plan';
import { resolveTool } from '../../core/video/ffmpeg-tools';
import { choosePack } from '../../services/engine-choice';
import type { DoctorReport, ProviderCheck } from './report';

export interface ProbeOptions {
  dataDir: string;
  repoRoot: string | null;
  /** a pack folder; default: the installed pack the app would use */
  model?: string;
  asked?: ProviderName;
  threads?: number;
  env?: Record<string, string | undefined>;
}

/** Creates the folder when needed, then writes and removes a file of our own in it. */
export function checkWritable(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.maskline-doctor-${process.pid}`);
    writeFileSync(probe, 'maskline doctor write test\n', { flag: 'wx' });
    rmSync(probe);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

async function findPack(o: ProbeOptions): Promise<DoctorReport['pack']> {
  if (o.model) {
    try {
      const p = await loadPack(o.model, { verifyHashes: true });
      return { dir: p.dir, name: p.manifest.name, error: null };
    } catch (e) {
      return { dir: o.model, name: null, error: (e as Error).message };
    }
  }
  const folders = modelsFolders({ userDataDir: o.dataDir, repoRoot: o.repoRoot, env: o.env ?? process.env });
  const packs = await listPacks(folders, { cacheFile: join(installFolder(o.dataDir), '.verify-cache.json') });
  const c = choosePack(packs, null);
  return c.pack ? { dir: c.pack.dir, name: c.pack.name, error: null } : { dir: null, name: null, error: c.reason };
}

/** A synthetic S×S frame: smooth gradients and a bright square, so every graph sees real signal. */
function frame(size: number, shift: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      const inside = Math.abs(x - size / 2 - shift) < size / 8 && Math.abs(y - size / 2) < size / 8;
      data[i] = inside ? 240 : (x * 255) / size;
      data[i + 1] = inside ? 220 : (y * 255) / size;
      data[i + 2] = inside ? 30 : 128;
    }
  }
  return { width: size, height: size, data };
}

async function tryProvider(
  packDir: string,
  provider: ProviderName,
  threads: number | undefined,
): Promise<Pick<ProviderCheck, 'error' | 'timings' | 'fallbacks' | 'attention' | 'encoderAttention'>> {
  let p: Sam2VideoPredictor | null = null;
  try {
    const pack = await loadPack(packDir, { verifyHashes: false });
    const S = pack.manifest.imageSize;
    p = await Sam2VideoPredictor.create(pack, new MemoryFrameSource([frame(S, 0), frame(S, S / 32)]), { provider, threads });
    const timings: NonNullable<ProviderCheck['timings']> = {};
    let before = structuredClone(p.stats().graphs);
    const record = () => {
      const now = p!.stats().graphs;
      for (const [g, t] of Object.entries(now)) {
        const b = before[g as keyof typeof before];
        if (t.calls === b.calls) continue;
        const each = (t.ms - b.ms) / (t.calls - b.calls);
        const cur = timings[g];
        if (!cur) timings[g] = { first: each, then: null };
        else cur.then = each;
      }
      before = structuredClone(now);
    };
    await p.addPoints(0, 1, { points: [[S / 2, S / 2]], labels: [1] }, { masks: false });
    record();
    for await (const _ of p.propagate({ start: 0, masks: false })) record();
    const s = p.stats();
    return {
      error: null,
      timings,
      fallbacks: s.fallbacks.map((f) => `${f.graph}: ${f.provider}: ${f.message}`),
      attention: s.attention,
      encoderAttention: s.encoderAttention,
    };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0]!, timings: null, fallbacks: [], attention: null, encoderAttention: null };
  } finally {
    await p?.dispose();
  }
}

export async function probe(o: ProbeOptions): Promise<DoctorReport> {
  const ff = resolveTool('ffmpeg');
  const fp = resolveTool('ffprobe');
  const pack = await findPack(o);
  const unavailable = providerUnavailable();
  const notForAuto = providerNotForAuto();
  const auto = providerPlan('auto', process.platform, unavailable, notForAuto).plan;
  const providers: ProviderCheck[] = [];
  for (const provider of PROVIDER_NAMES) {
    const why = provider === 'cpu' ? null : (unavailable[provider] ?? null);
    const tried = !why && (o.asked ? o.asked === provider : auto.includes(provider));
    const check: ProviderCheck = {
      provider,
      unavailable: why,
      notForAuto: notForAuto[provider] ?? null,
      tried,
      error: null,
      timings: null,
      fallbacks: [],
      attention: null,
      encoderAttention: null,
    };
    if (tried) Object.assign(check, pack.dir && !pack.error ? await tryProvider(pack.dir, provider, o.threads) : { error: 'no model pack to run it on' });
    providers.push(check);
  }
  return {
    platform: `${process.platform}-${process.arch}`,
    node: process.versions.node,
    onnxruntime: ort.env.versions?.common ?? 'unknown',
    bundled: ort
      .listSupportedBackends()
      .filter((b) => b.bundled)
      .map((b) => b.name),
    ffmpeg: ff ? { path: ff.path, version: ff.version } : null,
    ffprobe: fp ? { path: fp.path, version: fp.version } : null,
    dataDir: { path: o.dataDir, error: checkWritable(o.dataDir) },
    pack,
    providers,
    asked: o.asked ?? null,
  };
}
