import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../src-main/api/contract';
import { engineRows } from '../../../src-renderer/src/lib/engine-view';

const pack = { name: 'micro' } as EngineStatus['pack'];
const st = (s: Partial<EngineStatus>): EngineStatus => ({ state: 'ready', pack, providers: {}, loadMs: 0, threads: 0, error: null, ...s });

describe('engineRows (issue 13, 16: the Models screen before any video)', () => {
  it.each([
    [
      'a chosen pack before any video is not "ready", has no provider and no load time',
      st({}),
      { state: 'chosen — loads when a video is opened', pack: 'micro', providers: 'not loaded yet', loadTime: 'not loaded yet', threads: '—', attention: '' },
    ],
    [
      'loaded sessions',
      st({ providers: { image_encoder: 'cpu', mask_decoder: 'cpu' }, loadMs: 412, threads: 2 }),
      { state: 'ready', pack: 'micro', providers: 'image_encoder: cpu · mask_decoder: cpu', loadTime: '412 ms', threads: '2', attention: '' },
    ],
    [
      'loaded sessions with the attention each graph runs',
      st({ providers: { image_encoder: 'cpu' }, loadMs: 412, threads: 2, attention: 'plain', encoderAttention: 'fused' }),
      { state: 'ready', pack: 'micro', providers: 'image_encoder: cpu', loadTime: '412 ms', threads: '2', attention: 'image encoder fused · memory plain' },
    ],
    [
      'the attention is not shown before the sessions load',
      st({ attention: 'plain', encoderAttention: 'fused' }),
      { state: 'chosen — loads when a video is opened', pack: 'micro', providers: 'not loaded yet', loadTime: 'not loaded yet', threads: '—', attention: '' },
    ],
    [
      'loading',
      st({ state: 'loading' }),
      { state: 'loading', pack: 'micro', providers: 'not loaded yet', loadTime: 'not loaded yet', threads: '—', attention: '' },
    ],
    [
      'failed with a reason',
      st({ state: 'failed', error: 'bad graph' }),
      { state: 'failed — bad graph', pack: 'micro', providers: '—', loadTime: '—', threads: '—', attention: '' },
    ],
    [
      'no pack',
      st({ state: 'none', pack: null, error: 'import one' }),
      { state: 'none — import one', pack: '—', providers: '—', loadTime: '—', threads: '—', attention: '' },
    ],
  ] as const)('%s', (_n, s, rows) => {
    expect(engineRows(s)).toEqual(rows);
    // never a zero load time or an empty provider next to "ready"
    expect(engineRows(s).loadTime).not.toBe('0 ms');
  });
});
