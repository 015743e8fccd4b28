// The app's one SAM 2 engine (a worker thread, src-main/engine), started lazily: which pack it
// uses (the user's choice, the project's remembered pack, else the first verified one), opening
// the project's frame cache once it is complete, its status for the UI (engine.changed), one
// operation at a time, a fresh worker after a crash, and the pack's speed on this machine (one
// tracked frame timed when a pack is first used, core/models/pack-speed.ts). The engine is a cache of the project
// database: `generation` changes whenever its state was lost, and the workflow then restores it.
import { join } from 'node:path';
import type { EngineStatus, ModelPackInfo, PreencodeSettings, PreencodeStatus, ProviderChoice } from '../api/contract';
import { ApiCallError } from '../api/errors';
import { installFolder, listPacks, modelsFolders, PackSpeedStore } from '../core/models';
import type { PredictorOptions } from '../core/sam2/predictor';
import { EngineClient } from '../engine/engine-client';
import { choosePack, statusLoading, statusNone } from './engine-choice';
import { readProviderSetting, writeProviderSetting } from './provider-setting';

export interface EngineTarget {
  /** the frame cache folder of the open project's video */
  framesDir: string;
  framesComplete(): boolean;
  /** frames ready / total, for the FRAMES_NOT_READY message */
  framesProgress(): { ready: number; total: number };
  /** the pack the project remembers, if any */
  preferredPack(): string | null;
}

export interface EngineManagerOptions {
  dataDir: string;
  repoRoot: string | null;
  env?: Record<string, string | undefined>;
  /** provider, threads, caches … (defaults: the engine's) */
  engine?: PredictorOptions;
  /** pre-encoding at start (default: on, ±4 frames); engine.setPreencode changes it */
  preencode?: Partial<PreencodeSettings>;
  workerPath?: string;
  log: (line: string) => void;
}

export interface EngineSession {
  client: EngineClient;
  /** changes whenever the engine's state was lost (new video, new pack, new worker) */
  generation: number;
  packId: string;
}

export class EngineManager {
  private current: EngineStatus = statusLoading(null);
  private client: EngineClient | null = null;
  private target: EngineTarget | null = null;
  private opened: { packDir: string; packId: string; framesDir: string } | null = null;
  private selected: string | null = null;
  private loading: Promise<void> = Promise.resolve();
  private mutex: Promise<unknown> = Promise.resolve();
  private generationNo = 0;
  private readonly listeners = new Set<(s: EngineStatus) => void>();
  private preencodeSettings: PreencodeSettings;
  /** where the playhead rested last: an engine that opens later starts there (frame 0 at first) */
  private restFrame: number | null = null;
  private preencodeState: PreencodeStatus;
  private readonly preencodeListeners = new Set<(s: PreencodeStatus) => void>();

  /** the provider setting: the options' (tests, bench), else the user's (provider.json), else auto */
  private provider: ProviderChoice;

  private readonly speeds: PackSpeedStore;

  constructor(private readonly opts: EngineManagerOptions) {
    this.speeds = new PackSpeedStore(join(installFolder(opts.dataDir), '.pack-speed.json'));
    this.provider = opts.engine?.provider ?? readProviderSetting(opts.dataDir) ?? 'auto';
    this.preencodeSettings = { enabled: opts.preencode?.enabled ?? true, window: opts.preencode?.window ?? 4 };
    this.preencodeState = this.idlePreencode();
    void this.reload();
  }

  /** Pre-encoding as the engine last reported it (idle without an open engine). */
  preencodeStatus(): PreencodeStatus {
    return this.preencodeState;
  }

  onPreencode(listener: (s: PreencodeStatus) => void): () => void {
    this.preencodeListeners.add(listener);
    return () => this.preencodeListeners.delete(listener);
  }

  /**
   * The playhead rests on `frame`. Sent to the worker at once, not queued behind the operation
   * in progress (the worker's pre-encoder waits for it by itself). Without an open engine it is
   * a no-op answering the idle status.
   */
  async preencode(frame: number): Promise<PreencodeStatus> {
    this.restFrame = frame;
    const c = this.client;
    if (!this.opened || !c?.alive) return this.preencodeState;
    return this.setPreencodeState(await c.preencode(frame));
  }

  /** The setting: remembered for every later engine, applied to the open one. */
  async setPreencode(s: Partial<PreencodeSettings>): Promise<PreencodeStatus> {
    this.preencodeSettings = { ...this.preencodeSettings, ...s };
    const c = this.client;
    if (!this.opened || !c?.alive) return this.setPreencodeState({ ...this.preencodeState, ...this.preencodeSettings });
    return this.setPreencodeState(await c.preencodeSettings(s));
  }

  private idlePreencode(): PreencodeStatus {
    return { ...this.preencodeSettings, frame: null, ready: false, encoding: null, done: 0, total: 0, full: false };
  }

  private setPreencodeState(s: PreencodeStatus): PreencodeStatus {
    this.preencodeState = s;
    for (const l of this.preencodeListeners) {
      try {
        l(s);
      } catch (err) {
        this.opts.log(`[engine] pre-encode listener failed: ${(err as Error).message}`);
      }
    }
    return s;
  }

  /** The user's provider setting (engine.setProvider): kept in the data folder, applied by reopening the engine. */
  setProvider(provider: ProviderChoice): Promise<void> {
    writeProviderSetting(this.opts.dataDir, provider);
    if (provider === this.provider) return this.reload();
    this.provider = provider;
    // the open engine was made with the old setting: the next load opens it again
    this.opened = null;
    return this.reload();
  }

  status(): EngineStatus {
    return this.current;
  }

  onChange(listener: (s: EngineStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Installed packs, hash results cached in <data>/models/.verify-cache.json. */
  packs(): Promise<ModelPackInfo[]> {
    const folders = modelsFolders({ userDataDir: this.opts.dataDir, repoRoot: this.opts.repoRoot, env: this.opts.env });
    return listPacks(folders, { cacheFile: join(installFolder(this.opts.dataDir), '.verify-cache.json') }).then((list) =>
      list.map(({ id, name, dir, bytes, imageSize, verified, problem, family }) => ({
        id,
        name,
        dir,
        bytes,
        imageSize,
        verified,
        problem,
        family,
        speed: this.speeds.get(dir),
      })),
    );
  }

  /** The project whose frames the engine works on (null: none open). */
  attach(target: EngineTarget | null): Promise<void> {
    this.target = target;
    if (!target && this.opened) {
      // free the frames and caches of the closed project; the next project starts a fresh worker
      this.opened = null;
      const c = this.client;
      this.client = null;
      this.restFrame = null;
      this.setPreencodeState(this.idlePreencode());
      void this.exclusive(() => c?.close() ?? Promise.resolve());
    }
    return this.reload();
  }

  /** The user's choice of pack (models.select); applies at once to the open project. */
  select(packId: string): Promise<void> {
    this.selected = packId;
    return this.reload();
  }

  /** Re-decides pack and engine (after an install, a selection, complete frames, a crash). */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.load()).catch((e) => this.opts.log(`[engine] ${(e as Error).stack ?? e}`));
    return this.loading;
  }

  /**
   * Runs `fn` with the engine alone (operations never interleave). Waits for a load in progress;
   * NO_MODEL without a pack, FRAMES_NOT_READY while frames are extracted, ENGINE_FAILED when
   * the pack could not be loaded. A worker that crashed is replaced first (new generation).
   */
  async run<T>(fn: (s: EngineSession) => Promise<T>): Promise<T> {
    await this.loading;
    if (this.opened && this.client && !this.client.alive) await this.reload();
    const s = this.current;
    const t = this.target;
    if (!t) throw new ApiCallError('NO_PROJECT', 'Open a video first.');
    if (s.state === 'none') throw new ApiCallError('NO_MODEL', s.error ?? 'No model pack is installed.');
    if (!t.framesComplete()) {
      const p = t.framesProgress();
      throw new ApiCallError('FRAMES_NOT_READY', `The frames are still being prepared (${p.ready}/${p.total}); try again when extraction is done.`, p);
    }
    if (s.state === 'failed' || !this.opened || !this.client)
      throw new ApiCallError('ENGINE_FAILED', `The model could not be loaded: ${s.error ?? 'unknown error'}`);
    const client = this.client;
    const session: EngineSession = { client, generation: this.generationNo, packId: this.opened.packId };
    return this.exclusive(() => fn(session));
  }

  /** Tests: the worker dies as in a crash (its state is lost; the next operation starts a new one). */
  async killWorker(): Promise<void> {
    await this.client?.kill();
  }

  /** Stops the worker (quit). */
  async shutdown(): Promise<void> {
    this.target = null;
    this.opened = null;
    await this.loading;
    await this.exclusive(async () => {
      await this.client?.close();
      this.client = null;
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.mutex.then(fn, fn);
    this.mutex = run.catch(() => undefined);
    return run;
  }

  private set(s: EngineStatus): void {
    this.current = s;
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (err) {
        this.opts.log(`[engine] status listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** The first use of a pack on this machine: one tracked frame timed and stored (a failure only loses the figure). */
  private async measureSpeed(client: EngineClient, dir: string, threads: number, provider: string | undefined): Promise<ModelPackInfo['speed']> {
    try {
      const t = await client.timeFrame(0);
      const speed = {
        msPerFrame: Math.round(t.ms),
        graphs: Object.fromEntries(Object.entries(t.graphs).map(([g, ms]) => [g, Math.round(ms)])),
        provider: provider ?? 'cpu',
        threads,
        measuredAt: new Date().toISOString(),
        amgBatchMs: Math.round(t.amgBatch.ms),
        amgBatch: t.amgBatch.batch,
      };
      this.speeds.set(dir, speed);
      return speed;
    } catch (e) {
      this.opts.log(`[engine] timing one frame of ${dir} failed: ${(e as Error).message}`);
      return null;
    }
  }

  private async load(): Promise<void> {
    const t = this.target;
    const choice = choosePack(await this.packs(), this.selected ?? t?.preferredPack() ?? null);
    if (!choice.pack) {
      this.set(statusNone(choice.reason));
      return;
    }
    const pack = choice.pack;
    // without a project (or its frames) the pack is only chosen: sessions load with the frames
    if (!t) return this.set({ state: 'ready', pack, providers: {}, loadMs: 0, threads: 0, error: null, providerChoice: this.provider });
    if (!t.framesComplete()) return this.set(statusLoading(pack));
    const o = this.opened;
    if (o && o.packDir === pack.dir && o.framesDir === t.framesDir && this.client?.alive) return;
    this.set(statusLoading(pack));
    try {
      await this.exclusive(async () => {
        if (!this.client) {
          const c = EngineClient.start({ workerPath: this.opts.workerPath });
          c.onPreencode((st) => this.client === c && this.setPreencodeState(st));
          this.client = c;
        } else if (!this.client.alive) this.client.restart();
        this.opened = null;
        const info = await this.client.open(
          pack.dir,
          { kind: 'folder', dir: t.framesDir },
          { ...this.opts.engine, provider: this.provider },
          this.preencodeSettings,
        );
        // timed before asking for pre-encoding, which would share the CPU with it
        // per provider; a figure from before segment everything's decoder batch was timed is measured again
        const provider = info.providers.mask_decoder ?? info.providers.image_encoder ?? 'cpu';
        const known = this.speeds.get(pack.dir, provider);
        const speed = known?.amgBatchMs !== undefined ? known : await this.measureSpeed(this.client, pack.dir, info.threads, provider);
        if (this.restFrame !== null && this.restFrame > 0 && this.restFrame < info.numFrames) await this.client.preencode(this.restFrame);
        this.opened = { packDir: pack.dir, packId: pack.id, framesDir: t.framesDir };
        this.generationNo++;
        this.set({
          state: 'ready',
          pack: { ...pack, speed },
          providers: info.providers,
          loadMs: Math.round(info.loadMs),
          threads: info.threads,
          error: null,
          providerChoice: this.provider,
          fallbacks: info.fallbacks,
          attention: info.attention,
          encoderAttention: info.encoderAttention,
        });
      });
    } catch (e) {
      this.opened = null;
      this.set({ state: 'failed', pack, providers: {}, loadMs: 0, threads: 0, error: (e as Error).message, providerChoice: this.provider });
    }
  }
}
