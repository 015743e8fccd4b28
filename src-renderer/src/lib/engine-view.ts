// The engine's status in words for the Models screen. A pack is "chosen" before any video is
// open: its sessions load with the first project's frames, so until then there is no provider
// and no load time to show (issue 13: it used to say "ready", provider "—", "0 ms"). Pure.
import type { EngineStatus } from '$api/contract';
import { formatMs } from './format';

export interface EngineRows {
  state: string;
  pack: string;
  providers: string;
  loadTime: string;
  threads: string;
  /** which attention each attention graph runs ('' before sessions are loaded) */
  attention: string;
}

const NOT_LOADED = 'not loaded yet';

export function engineRows(s: EngineStatus): EngineRows {
  const providers = Object.entries(s.providers)
    .map(([g, p]) => `${g}: ${p}`)
    .join(' · ');
  // 'ready' without sessions: a pack is picked, nothing is loaded
  const loaded = s.state === 'ready' && providers !== '';
  const state = s.state === 'ready' && !loaded ? 'chosen — loads when a video is opened' : `${s.state}${s.error ? ` — ${s.error}` : ''}`;
  return {
    state,
    pack: s.pack?.name ?? '—',
    providers: loaded ? providers : s.state === 'ready' || s.state === 'loading' ? NOT_LOADED : '—',
    loadTime: loaded ? formatMs(s.loadMs) : s.state === 'ready' || s.state === 'loading' ? NOT_LOADED : '—',
    threads: loaded && s.threads ? String(s.threads) : '—',
    attention: loaded ? [s.encoderAttention && `image encoder ${s.encoderAttention}`, s.attention && `memory ${s.attention}`].filter(Boolean).join(' · ') : '',
  };
}
