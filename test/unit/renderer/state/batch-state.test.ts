// The Batch panel's rune class over a fake API: the request it submits, polling every 1.5 s
// only while open with a URL, errors kept for the panel, and "Open" opening <out>/project.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchStatusView, MethodArgs } from '$api/contract';
import { ApiCallError } from '$api/errors';
import { BatchState } from '../../../../src-renderer/src/state/batch.svelte';
import { FakeApi } from './fake-api';

const empty: BatchStatusView = { counts: { waiting: 0, active: 0, done: 0, failed: 0, cancelled: 0 }, jobs: [], fps: null, etaSec: null };

function setup() {
  const api = new FakeApi({ 'batch.status': () => empty });
  const openFolder = vi.fn(async (_dir: string) => true);
  const batch = new BatchState({ api, project: { openFolder } as never });
  return { api, batch, openFolder };
}

/** A Storage in memory: the panel remembers its URL there (the test environment has none). */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, String(v)) };
}

beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage());
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('BatchState', () => {
  it('polls only while open and given a URL, every 1.5 s, and stops when hidden', async () => {
    const { api, batch } = setup();
    batch.show();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.calls.filter((c) => c.method === 'batch.status')).toHaveLength(0);
    batch.setRedisUrl(' redis://127.0.0.1:6379 ');
    await vi.advanceTimersByTimeAsync(3100);
    expect(api.calls.filter((c) => c.method === 'batch.status').map((c) => c.args)).toEqual(Array(3).fill({ redisUrl: 'redis://127.0.0.1:6379' }));
    batch.hide();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.calls.filter((c) => c.method === 'batch.status')).toHaveLength(3);
    // the URL is remembered for the next window
    expect(new BatchState({ api, project: {} as never }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('submits one request: the videos (one per line), the folder, the seed, formats and output folder', async () => {
    const { api, batch } = setup();
    let sent: MethodArgs<'batch.submit'> | null = null;
    api.handlers['batch.submit'] = (a) => ((sent = a), { added: ['ml-1', 'ml-2'], skipped: [{ id: 'ml-0', state: 'done' }] });
    batch.setRedisUrl('redis://q:6379');
    batch.videosText = '/v/a.mp4\n\n /v/b.mp4 ';
    batch.promptsFile = '/p/prompts.json';
    batch.outRoot = '/out';
    batch.toggleFormat('coco', true);
    expect(await batch.submit()).toBe(true);
    expect(sent).toEqual({
      redisUrl: 'redis://q:6379',
      videos: ['/v/a.mp4', '/v/b.mp4'],
      seed: { kind: 'prompts', promptsFile: '/p/prompts.json' },
      model: null,
      formats: ['png', 'coco'],
      outRoot: '/out',
      force: false,
    });
    expect(batch.lastSubmit).toEqual({ added: 2, skipped: 1 });

    batch.seedKind = 'segment';
    batch.segmentFrame = 3;
    batch.segmentKeep = 5;
    batch.folder = '/clips';
    batch.videosText = '';
    await batch.submit();
    expect(sent).toMatchObject({ videos: [], folder: '/clips', seed: { kind: 'segment', frame: 3, options: { pointsPerSide: 16 }, keep: 5 } });
  });

  it('cannot submit without a URL, videos, a prompts file or an output folder; a refusal is kept verbatim', async () => {
    const { api, batch } = setup();
    expect(batch.canSubmit).toBe(false);
    batch.setRedisUrl('redis://q:6379');
    batch.videosText = '/v/a.mp4';
    batch.outRoot = '/out';
    expect(batch.canSubmit).toBe(false);
    batch.promptsFile = '/p.json';
    expect(batch.canSubmit).toBe(true);
    api.handlers['batch.submit'] = () => {
      throw new ApiCallError('BAD_MANIFEST', 'Nothing was submitted: jobs[0].video: /v/a.mp4 does not exist');
    };
    expect(await batch.submit()).toBe(false);
    expect(batch.submitError).toEqual({ code: 'BAD_MANIFEST', message: 'Nothing was submitted: jobs[0].video: /v/a.mp4 does not exist' });
  });

  it("Open opens the job's project folder and closes the panel", async () => {
    const { batch, openFolder } = setup();
    batch.show();
    await batch.openProject({ out: '/shared/out/a' } as never);
    expect(openFolder).toHaveBeenCalledWith('/shared/out/a/project');
    expect(batch.open).toBe(false);
  });
});
