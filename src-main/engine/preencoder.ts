// The pre-encoder: while nothing else runs in the engine, it has the frame the playhead rests on
// encoded, then its neighbours outward (±1, ±2, … within the window), one image-encoder run at a
// time, in the pre-encoding thread (preencode-thread.ts), so that a click never waits for another
// frame's run (one on its own frame it joins, within limits: Sam2Core.features).
// Two exceptions, both for the frame the playhead rests on: when the playhead comes to rest while
// the thread is still busy with a frame of the old window, the engine encodes the resting frame
// itself at once (its own session, normal priority; the thread's stale run, at the lowest
// priority, waits meanwhile) — otherwise the resting frame would wait for that run first: two
// runs, about 4 s with the hiera-tiny shapes on 2 cores, as long as a person rests before
// clicking (docs/benchmarks.md, 2026-12-06). And when the thread's run on the resting frame is
// late (REST_TAKEOVER × the fastest run: other programs keep the cores busy and the thread gets
// almost nothing at its priority), the engine takes it over the same way. The cost: a click on
// another frame that arrives during such a run waits for it (the spec allows a running encoder
// call to finish); a click on the resting frame joins it.
// Everything the user asks for (a click, a propagation, segment everything, …) runs in
// `foreground`: it starts at once, no new pre-encoder run starts while it lasts (the one in
// flight finishes in its thread, at the lowest priority where the OS allows), and pre-encoding
// resumes when the last foreground operation ends. Which frame comes next and what may be evicted
// for it are pure decisions (core/sam2/preencode-plan.ts); the feature cache never exceeds its
// budget for pre-encoding and never gives up a conditioning frame or the frames a propagation
// needs next.
import type { PreencodeSettings, PreencodeStatus } from '../api/contract';
import type { Sam2Core } from '../core/sam2/engine-core';
import type { EncoderOutput } from '../core/sam2/graphs';
import { DEFAULT_PREENCODE_WINDOW, nextToPreencode, preencodeOrder } from '../core/sam2/preencode-plan';

export type { PreencodeSettings, PreencodeStatus };

export function checkPreencodeSettings(s: Partial<PreencodeSettings>): void {
  if (s.enabled !== undefined && typeof s.enabled !== 'boolean')
    throw new TypeError(`preencode.enabled must be true or false, got ${JSON.stringify(s.enabled)}`);
  if (s.window !== undefined && (!Number.isInteger(s.window) || s.window < 0 || s.window > 64))
    throw new TypeError(`preencode.window must be an integer 0..64, got ${JSON.stringify(s.window)}`);
}

/** The thread's run on the resting frame counts as late (starved) at this many times the fastest encoder run. */
export const REST_TAKEOVER = 1.5;

export class PreEncoder {
  private settings: PreencodeSettings;
  private center: number | null = null;
  private order: number[] = [];
  private foregroundOps = 0;
  private inflight: Promise<unknown> | null = null;
  private encoding: number | null = null;
  /** the resting frame's run on the engine's own encoder (the thread was busy with an older window) */
  private restedRun: { frame: number; run: Promise<unknown> } | null = null;
  /** resting frames the engine encoded itself because the thread was busy or late */
  restedHere = 0;
  private takeoverTimer: ReturnType<typeof setTimeout> | null = null;
  private looping = false;
  private full = false;
  /** frames whose encoding failed (unreadable): not tried again for this window */
  private readonly failed = new Set<number>();

  constructor(
    private readonly core: () => Sam2Core | null,
    /** the image encoder elsewhere (the pre-encoding thread) */
    private readonly encode: (frame: number) => Promise<EncoderOutput>,
    private readonly onStatus: (s: PreencodeStatus) => void,
    settings: Partial<PreencodeSettings> = {},
  ) {
    this.settings = { enabled: settings.enabled ?? true, window: settings.window ?? DEFAULT_PREENCODE_WINDOW };
  }

  configure(s: Partial<PreencodeSettings>): PreencodeStatus {
    checkPreencodeSettings(s);
    this.settings = { ...this.settings, ...s };
    this.plan();
    this.kick();
    return this.status();
  }

  /** The playhead rests on `frame` (null: forget it). */
  rest(frame: number | null): PreencodeStatus {
    if (frame !== this.center) this.clearTakeover();
    this.center = frame;
    this.plan();
    this.encodeRestingHere();
    this.kick();
    return this.status();
  }

  /**
   * Runs something the user asked for, at once: no pre-encoder run starts until it ends (the
   * one in flight goes on in its own thread), then pre-encoding resumes.
   */
  async foreground<T>(fn: () => Promise<T>): Promise<T> {
    this.foregroundOps++;
    try {
      return await fn();
    } finally {
      this.foregroundOps--;
      this.kick();
    }
  }

  /** Waits for the encoder calls in flight (tests, close). */
  async idle(): Promise<void> {
    while (this.inflight || this.restedRun) await (this.inflight ?? this.restedRun!.run).catch(() => undefined);
  }

  status(): PreencodeStatus {
    const core = this.core();
    const cached = (f: number) => core?.cache.has(f) ?? false;
    const done = this.order.filter(cached).length;
    return {
      ...this.settings,
      frame: this.center,
      ready: this.center !== null && cached(this.center),
      // the resting frame's own run says more than the thread's stale one
      encoding: this.restedRun?.frame ?? this.encoding,
      done,
      total: this.order.length,
      full: this.full,
    };
  }

  private plan(): void {
    const core = this.core();
    const on = this.settings.enabled && core !== null && this.center !== null;
    this.order = on ? preencodeOrder(this.center!, this.settings.window, core!.source.numFrames) : [];
    this.full = false;
    this.failed.clear();
    core?.setPreencodeWindow(this.order, this.settings.window);
  }

  /**
   * The resting frame on the engine's own encoder, when the thread is busy with another frame or
   * (`late`) its run on the resting frame is late (see the top of this file).
   */
  private encodeRestingHere(late = false): void {
    const core = this.core();
    const f = this.center;
    if (!core || f === null || !this.settings.enabled || this.foregroundOps > 0 || this.restedRun) return;
    // the thread is idle (the loop gives it the resting frame next) or already on it, and in time
    if (this.encoding === null || (this.encoding === f && !late)) return;
    if (core.cache.has(f) || this.failed.has(f)) return;
    const run = core
      .preencodeHere(f)
      .then((cached) => {
        if (cached) this.restedHere++;
        else this.full = true;
      })
      .catch(() => {
        this.failed.add(f);
      })
      .finally(() => {
        this.restedRun = null;
        this.emit();
        this.kick();
      });
    this.restedRun = { frame: f, run };
    this.emit();
  }

  /** A thread run on the resting frame: the engine takes it over once it is late. */
  private watchResting(core: Sam2Core, frame: number): void {
    this.clearTakeover();
    if (frame !== this.center) return;
    const lateAt = core.lateAt(frame, REST_TAKEOVER);
    if (lateAt === null) return;
    this.takeoverTimer = setTimeout(
      () => {
        this.takeoverTimer = null;
        if (this.center === frame && this.encoding === frame) this.encodeRestingHere(true);
      },
      Math.max(0, lateAt - performance.now()),
    );
  }

  private clearTakeover(): void {
    if (this.takeoverTimer) clearTimeout(this.takeoverTimer);
    this.takeoverTimer = null;
  }

  private kick(): void {
    if (this.looping || this.foregroundOps > 0 || this.order.length === 0) return;
    this.looping = true;
    void this.loop().finally(() => {
      this.looping = false;
      this.emit();
    });
  }

  private async loop(): Promise<void> {
    for (;;) {
      // a macrotask first: requests that arrived during the last encoder run claim the engine before the next one starts
      await new Promise((r) => setImmediate(r));
      const core = this.core();
      if (!core || this.foregroundOps > 0) return;
      // a frame the engine is encoding itself (the resting frame, or a click's) is not sent to the thread
      const next = nextToPreencode(this.order, (f) => core.cache.has(f) || this.failed.has(f) || core.isEncoding(f));
      if (next === null) return;
      this.encoding = next;
      this.emit();
      const run = core.preencode(next, this.encode);
      this.inflight = run;
      this.watchResting(core, next);
      let cached = false;
      try {
        cached = await run;
      } catch {
        this.failed.add(next);
        cached = true;
      } finally {
        this.inflight = null;
        this.encoding = null;
        this.clearTakeover();
      }
      if (!cached) {
        this.full = true;
        return;
      }
      this.emit();
    }
  }

  private emit(): void {
    this.onStatus(this.status());
  }
}
