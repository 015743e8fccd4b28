// Pre-encoding from the window's side: when the playhead rests on a frame for REST_MS (not
// while playing or scrubbing), the engine is told, and pre-encodes that frame and its
// neighbours while idle. The setting (on/off, window) survives reloads (localStorage) and is
// sent to the services at start; the status bar shows "frame ready" or "encoding".
import type { MasklineApi, PreencodeSettings, PreencodeStatus } from '$api/contract';
import { parsePreencodeSettings, preencodeLabel, REST_MS } from '../lib/preencode-view';
import { Disposers, type Release } from '../lib/disposers';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';

const KEY = 'maskline.preencode.v1';

export class PreencodeState {
  status = $state<PreencodeStatus | null>(null);
  enabled = $state(true);
  window = $state(4);
  /** the frame on screen (set by moved) */
  current = $state(0);
  label = $derived(preencodeLabel(this.status, this.current, this.enabled));

  /** the rest timer: the frame is sent when it fires */
  #timer: Release | null = null;
  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>) {
    const { api } = ctx;
    let saved: unknown = null;
    try {
      saved = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    } catch {
      saved = null;
    }
    const s = parsePreencodeSettings(saved);
    this.enabled = s.enabled;
    this.window = s.window;
    this.#subs.on(api, 'engine.preencode', (st) => (this.status = st));
    void api.call('engine.setPreencode', s).then(
      (st) => (this.status = st),
      (e) => this.errors.push(e, 'pre-encoding setting'),
    );
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  /** Stops listening; a frame waiting for its rest time is not sent. */
  dispose(): void {
    this.#subs.dispose();
  }

  /** The playhead is on `frame`; after REST_MS without another move (and not playing) the engine hears of it. */
  moved(frame: number, playing: boolean, haveVideo: boolean): void {
    this.current = frame;
    this.#timer?.();
    this.#timer = null;
    if (playing || !haveVideo || !this.enabled) return;
    this.#timer = this.#subs.timeout(() => {
      this.#timer = null;
      // NO_PROJECT / FRAMES_NOT_READY races with closing or opening are not worth a banner
      this.api.call('engine.preencode', { frame }).then(
        (st) => (this.status = st),
        () => undefined,
      );
    }, REST_MS);
  }

  configure(s: Partial<PreencodeSettings>): void {
    const next = parsePreencodeSettings({ enabled: this.enabled, window: this.window, ...s });
    this.enabled = next.enabled;
    this.window = next.window;
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // private mode: the setting lasts for this window only
    }
    void this.api.call('engine.setPreencode', next).then(
      (st) => (this.status = st),
      (e) => this.errors.push(e, 'pre-encoding setting'),
    );
  }
}
