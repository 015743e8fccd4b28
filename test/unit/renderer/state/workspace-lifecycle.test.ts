// The renderer's lifecycle on a real Workspace (its real rune classes, Svelte's client runtime)
// over a fake API client: each project transition resets what it owns and nothing else, and
// dispose() leaves no subscription, timer, animation frame or frame load behind.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { JobSnapshot, PreencodeStatus, ProjectState, SavedView } from '$api/contract';
import { ApiCallError } from '$api/errors';
import { Workspace } from '../../../../src-renderer/src/state/workspace.svelte';
import { FakeApi, type FakeHandlers } from './fake-api';
import { fakeFrames } from './fake-frames';

const preencode: PreencodeStatus = { enabled: true, window: 4, frame: null, ready: false, encoding: null, done: 0, total: 0 } as PreencodeStatus;

function project(dir: string, over: { key?: string; frames?: number; width?: number; view?: SavedView | null } = {}): ProjectState {
  const frames = over.frames ?? 50;
  return {
    dir,
    video: {
      key: over.key ?? `key-of-${dir}`,
      path: `${dir}/clip.mp4`,
      name: 'clip.mp4',
      frames,
      fps: 25,
      width: over.width ?? 64,
      height: 48,
      durationSec: frames / 25,
      rotation: 0,
      codec: 'h264',
      hasAudio: false,
      extracted: true,
    },
    extractJobId: null,
    framesReady: frames,
    warnings: [],
    objects: [
      { id: 1, name: 'object 1', color: '#ff0000', label: '', hidden: false, locked: false },
      { id: 2, name: 'object 2', color: '#00ff00', label: '', hidden: false, locked: false },
    ],
    prompts: [],
    tracks: [],
    engine: null,
    canUndo: true,
    canRedo: false,
    undoLabel: 'Add point on frame 3',
    redoLabel: null,
    videoMissing: false,
    busy: null,
    view: over.view ?? null,
  };
}

function handlers(open: ProjectState | null = null): FakeHandlers {
  return {
    'app.info': () => ({
      version: '0.0.0-test',
      transport: 'browser',
      platform: 'linux',
      dataDir: '/data',
      homeDir: '/home/u',
      documentsDir: '/home/u/Documents',
      ffmpeg: null,
      ffprobe: null,
      warnings: [],
    }),
    'jobs.list': () => [],
    'project.state': () => open,
    'models.list': () => [],
    'models.catalog': () => [],
    'engine.setPreencode': () => preencode,
    'engine.preencode': () => preencode,
    'masks.frame': ({ frame }) => ({ frame, masks: [] }),
    'segment.proposals': () => [],
    'project.saveView': () => null,
    'project.close': () => null,
  };
}

/** Lets the fake's answers arrive and Svelte's effects run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    flushSync();
  }
}

/** Frame loads: fetches that never answer, so the test sees which are still in flight. */
let loads: { url: string; signal: AbortSignal }[] = [];

beforeEach(() => {
  fakeFrames();
  loads = [];
  vi.stubGlobal('fetch', (url: string, init: { signal: AbortSignal }) => {
    loads.push({ url, signal: init.signal });
    return new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function openWorkspace(open: ProjectState | null = null): Promise<{ ws: Workspace; api: FakeApi }> {
  const api = new FakeApi(handlers(open));
  const ws = new Workspace(api);
  await settle();
  return { ws, api };
}

const FRAME = 3;
const PLAYHEAD = 10;

/** Leaves something of every resettable kind in the window, on frame 3 with the playhead on 10. */
function dirty(ws: Workspace, api: FakeApi): void {
  ws.player.seek(PLAYHEAD);
  ws.review.setMarker('in', 2);
  // a tool change closes the candidates: choose the tool first
  ws.setTool('polygon');
  ws.prompt.candidates = { objectId: 1, frame: FRAME, masks: [], iouScores: [], chosen: 0 };
  ws.paint.polygon = [
    [1, 1],
    [5, 1],
  ];
  api.emit('segment.proposals', {
    frame: FRAME,
    proposals: [
      {
        id: 7,
        rle: { h: 48, w: 64, counts: [3072] },
        area: 1,
        bbox: [0, 0, 1, 1],
        predictedIou: 0.9,
        stabilityScore: 0.9,
        pointCoords: [],
        cropBox: [0, 0, 64, 48],
      },
    ],
  });
  ws.masks.put({ frame: FRAME, masks: [{ objectId: 1, rle: { h: 48, w: 64, counts: [3072] }, score: 5, source: 'prompt' }] });
  ws.question = { text: 'Delete object 2?', yes: 'Delete object 2', onyes: () => {} };
  ws.labels.suggestion = { objectId: 1, top: [{ label: 'cat', probability: 1 }], frames: [FRAME], crop: { margin: 0, greyOutside: false, padSquare: true } };
  ws.labels.proposalFrame = FRAME;
  ws.labels.proposalLabels = [{ proposalId: 7, label: 'cat', confidence: 1, top: [] }];
  flushSync();
}

/** What of dirty() is still there. */
function left(ws: Workspace) {
  return {
    markers: ws.review.markers.in !== null,
    candidates: ws.prompt.candidates !== null,
    polygon: ws.paint.polygon.length > 0,
    proposals: ws.segment.proposalsOf(FRAME).length > 0,
    masks: ws.masks.get(FRAME) !== undefined,
    question: ws.question !== null,
    labels: ws.labels.suggestion !== null || ws.labels.labelsOf(FRAME).length > 0,
  };
}

const KEPT = { markers: true, candidates: true, polygon: true, proposals: true, masks: true, question: true, labels: true };
const RESET = { markers: false, candidates: false, polygon: false, proposals: false, masks: false, question: false, labels: false };

describe('Workspace transitions', () => {
  const A = project('/projects/a');
  const B = project('/projects/b', { frames: 30, width: 32 });

  it.each<[string, (ws: Workspace, api: FakeApi) => Promise<unknown> | void, typeof KEPT, number]>([
    ['the same project, a new state from the services (an edit elsewhere)', (_ws, api) => api.emit('project.changed', project('/projects/a')), KEPT, 50],
    [
      'undo: the same project; masks and candidates are stale, the rest stays',
      (ws, api) => {
        api.handlers['history.undo'] = () => project('/projects/a');
        return ws.history.undo();
      },
      { ...KEPT, masks: false, candidates: false },
      50,
    ],
    [
      'the video relocated (same folder, another file): only the video is shown anew',
      (ws, api) => {
        api.handlers['project.relocateVideo'] = () => project('/projects/a', { key: 'moved', frames: 40 });
        return ws.project.relocateVideo('/elsewhere/clip.mp4');
      },
      KEPT,
      40,
    ],
    ['another project, from the services (project.changed)', (_ws, api) => api.emit('project.changed', B), RESET, 30],
    [
      'another video opened here (project.openVideo)',
      (ws, api) => {
        api.handlers['project.openVideo'] = () => B;
        return ws.project.openVideo('/videos/b.mp4');
      },
      RESET,
      30,
    ],
    ['closed here (project.close)', (ws) => ws.project.close(), RESET, 0],
    ['closed by the services (project.closed)', (_ws, api) => api.emit('project.closed', { dir: '/projects/a', reason: 'extraction-failed' }), RESET, 0],
    ['another folder closed (project.closed): nothing to do', (_ws, api) => api.emit('project.closed', { dir: '/projects/other', reason: 'closed' }), KEPT, 50],
  ])('%s', async (_what, act, want, frames) => {
    const { ws, api } = await openWorkspace(A);
    expect(ws.project.state?.dir).toBe('/projects/a');
    dirty(ws, api);
    expect(left(ws)).toEqual(KEPT);

    await act(ws, api);
    await settle();

    expect(left(ws)).toEqual(want);
    expect(ws.player.frames).toBe(frames);
    ws.dispose();
  });

  it('shows the opened video: playhead length and rate, view size, frames loaded from its cache', async () => {
    const { ws, api } = await openWorkspace();
    expect(ws.project.state).toBeNull();
    expect(ws.player.frames).toBe(0);
    api.handlers['project.openVideo'] = () => B;
    expect(await ws.project.openVideo('/videos/b.mp4')).toBe(true);
    await settle();
    expect(ws.player.frames).toBe(30);
    expect(ws.view.image).toEqual({ width: 32, height: 48 });
    expect(loads.length).toBeGreaterThan(0);
    expect(loads[0]!.url).toBe('fake://frames/key-of-/projects/b/0.jpg');
    // another video: the old one's loads are aborted, the new one's start at its playhead
    api.emit('project.changed', A);
    await settle();
    expect(loads.filter((l) => l.url.includes('key-of-/projects/b/')).every((l) => l.signal.aborted)).toBe(true);
    expect(loads.some((l) => l.url.includes('key-of-/projects/a/') && !l.signal.aborted)).toBe(true);
    ws.dispose();
  });

  it('restores where the user left a project once per open, and saves it again only while it is open', async () => {
    const saved = project('/projects/a', { view: { frame: 7, zoom: null, objectId: 2 } });
    const { ws, api } = await openWorkspace(saved);
    expect(ws.player.current).toBe(7);
    expect(ws.objects.selectedId).toBe(2);

    // another state of the same project does not move the playhead back
    ws.player.seek(12);
    api.emit('project.changed', saved);
    await settle();
    expect(ws.player.current).toBe(12);
    vi.advanceTimersByTime(400);
    expect(api.callsOf('project.saveView').at(-1)).toEqual({ frame: 12, zoom: null, objectId: 2 });

    // a move just before closing is not saved into the next project (or after the close)
    const before = api.callsOf('project.saveView').length;
    ws.player.seek(20);
    flushSync();
    await ws.project.close();
    await settle();
    vi.advanceTimersByTime(400);
    expect(api.callsOf('project.saveView')).toHaveLength(before);
    ws.dispose();
  });

  it('the engine the opened project reports is adopted on open', async () => {
    const withEngine = { ...project('/projects/a'), engine: { state: 'ready', pack: null, providers: {}, loadMs: 5 } } as ProjectState;
    const { ws } = await openWorkspace(withEngine);
    expect(ws.models.status?.state).toBe('ready');
    expect(ws.engine?.state).toBe('ready');
    ws.dispose();
  });

  it('a failed open keeps the open project and says why', async () => {
    const { ws, api } = await openWorkspace(A);
    dirty(ws, api);
    api.handlers['project.openVideo'] = () => {
      throw new ApiCallError('NOT_A_VIDEO', 'not a video');
    };
    expect(await ws.project.openVideo('/videos/notes.txt')).toBe(false);
    await settle();
    expect(ws.project.state?.dir).toBe('/projects/a');
    expect(left(ws)).toEqual(KEPT);
    expect(ws.errors.items.at(-1)).toMatchObject({ code: 'NOT_A_VIDEO', context: 'Opening /videos/notes.txt' });
    ws.dispose();
  });
});

describe('Workspace.dispose', () => {
  it('releases every subscription, timer, animation frame and frame load of every state', async () => {
    const { ws, api } = await openWorkspace(project('/projects/a'));
    // every event the window listens to is subscribed
    expect(Object.keys(api.liveByEvent()).sort()).toEqual(
      ['engine.changed', 'engine.preencode', 'job.updated', 'masks.updated', 'project.changed', 'project.closed', 'segment.proposals', 'tracks.updated'].sort(),
    );

    // leave something pending of every kind
    ws.errors.notice({ code: 'NOTICE', message: 'goes away by itself' }); // dismiss timer
    const job: JobSnapshot = {
      id: 'j1',
      kind: 'export',
      label: 'Export',
      state: 'done',
      done: 1,
      total: 1,
      unit: 'frames',
      rate: null,
      etaSec: null,
      error: null,
      errorCode: null,
      result: null,
    };
    api.emit('job.updated', job); // linger timer
    api.emit('masks.updated', { frame: 4, masks: [] }); // repaint on the next animation frame
    ws.player.seek(6); // pre-encode rest timer, view save timer
    flushSync();
    ws.player.play(); // playback's animation frame
    expect(vi.getTimerCount()).toBeGreaterThanOrEqual(5);
    expect(loads.some((l) => !l.signal.aborted)).toBe(true);

    ws.dispose();

    expect(api.live).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(loads.every((l) => l.signal.aborted)).toBe(true);
    expect(ws.player.playing).toBe(false);
  });

  it('ignores what arrives after it: events, a late project state, effects', async () => {
    let answer: (p: ProjectState) => void = () => {};
    const api = new FakeApi({ ...handlers(), 'project.state': () => new Promise<ProjectState>((r) => (answer = r)) });
    const ws = new Workspace(api);
    await settle();
    ws.dispose();
    const subscribed = api.subscribed;

    answer(project('/projects/late'));
    api.emit('project.changed', project('/projects/b'));
    await settle();
    vi.advanceTimersByTime(1000);

    expect(ws.project.state).toBeNull();
    expect(ws.player.frames).toBe(0);
    expect(loads).toHaveLength(0);
    expect(api.subscribed).toBe(subscribed);
    expect(api.live).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Jobs the window follows (follow-job.ts)', () => {
  const download = (state: JobSnapshot['state'], done: number): JobSnapshot => ({
    id: 'd1',
    kind: 'download',
    label: 'Download',
    state,
    done,
    total: 10,
    unit: 'bytes',
    rate: null,
    etaSec: null,
    error: null,
    errorCode: null,
    result: null,
  });

  it('a download that ended before its id came back is shown done, the packs are listed again, its listener is gone', async () => {
    let finished = false;
    const api: FakeApi = new FakeApi({
      ...handlers(),
      'models.download': () => {
        // the job's events travel faster than the call's answer
        api.emit('job.updated', download('running', 4));
        api.emit('job.updated', download('done', 10));
        finished = true;
        return { jobId: 'd1' };
      },
      'jobs.list': () => (finished ? [download('done', 10)] : []),
    });
    const ws = new Workspace(api);
    await settle();
    const listeners = api.liveByEvent()['job.updated'];
    const listed = api.callsOf('models.list').length;

    await ws.models.download('tiny');
    await settle();

    expect(ws.models.downloads['tiny']).toMatchObject({ id: 'd1', state: 'done', done: 10 });
    expect(api.callsOf('models.list').length).toBe(listed + 1);
    expect(api.liveByEvent()['job.updated']).toBe(listeners);
    ws.dispose();
  });

  it('a download in flight shows its progress and is let go with the window', async () => {
    const api = new FakeApi({ ...handlers(), 'models.download': () => ({ jobId: 'd1' }), 'jobs.list': () => [download('running', 2)] });
    const ws = new Workspace(api);
    await settle();
    const listeners = api.liveByEvent()['job.updated']!;
    await ws.models.download('tiny');
    await settle();
    expect(ws.models.downloads['tiny']).toMatchObject({ state: 'running', done: 2 });
    api.emit('job.updated', download('running', 6));
    expect(ws.models.downloads['tiny']).toMatchObject({ state: 'running', done: 6 });
    expect(api.liveByEvent()['job.updated']).toBe(listeners + 1);

    ws.dispose();
    expect(api.live).toBe(0);
  });
});
