// The pre-encoder: while nothing else runs in the engine, it has the frame the playhead rests on
// encoded, then its neighbours outward (±1, ±2, … within the window), one image-encoder run at a
// time, in the pre-encoding thread (preencode-thread.ts) — never on the engine's own thread, so
// a click never waits for another frame's run (one on its own frame it joins, within limits:
// Sam2Core.features). Everything the user asks for (a click, a propagation, segment
// everything, …) runs in `foreground`: it starts at once, no new pre-encoder run starts while it
// lasts (the one in flight finishes in its thread, at the lowest priority where the OS allows),
// and pre-encoding resumes when the last foreground operation ends. Which frame comes next and
// what may be evicted for it are pure decisions (core/sam2/preencode-plan.ts); the feature cache
// never exceeds its budget for pre-encoding and never gives up a conditioning frame or the
// frames a propagation needs next.
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

export class PreEncoder {
  private settings: PreencodeSettings;
  private center: number | null = null;
  private order: number[] = [];
  private foregroundOps = 0;
  private inflight: Promise<unknown> | null = null;
  private encoding: number | null = null;
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
    this.center = frame;
    this.plan();
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

  /** Waits for the encoder call in flight (tests, close). */
  async idle(): Promise<void> {
    while (this.inflight) await this.inflight.catch(() => undefined);
  }

  status(): PreencodeStatus {
    const core = this.core();
    const cached = (f: number) => core?.cache.has(f) ?? false;
    const done = this.order.filter(cached).length;
    return {
      ...this.settings,
      frame: this.center,
      ready: this.center !== null && cached(this.center),
      encoding: this.encoding,
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
      const next = nextToPreencode(this.order, (f) => core.cache.has(f) || this.failed.has(f));
      if (next === null) return;
      this.encoding = next;
      this.emit();
      const run = core.preencode(next, this.encode);
      this.inflight = run;
      let cached = false;
      try {
        cached = await run;
      } catch {
        this.failed.add(next);
        cached = true;
      } finally {
        this.inflight = null;
        this.encoding = null;
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
