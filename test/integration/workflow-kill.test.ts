// Persistence under a crash: the built browser host (out/main/host.js, a child process) runs a
// propagation driven over HTTP; after N masks.updated events on the WebSocket the process is
// killed with SIGKILL. Every frame it reported is then in the database and decodes, the run is
// marked interrupted when the project opens again, and the work continues from there.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiResult, EngineStatus, FrameMasks, ProjectState } from '../../src-main/api/contract';
import type { EventMessage } from '../../src-main/api/bridge';
import { decodeMask } from '../../src-main/core/masks/rle';
import { openProjectStore } from '../../src-main/core/store';
import { REPO_ROOT } from '../fixtures/sam2-micro/build';
import { ensureHostBuilt, harness, squareAt, until, W, H } from './workflow-harness';

const h = harness('maskline-workflow-kill-');
afterAll(() => h.cleanup());

interface Host {
  child: ChildProcess;
  call<T>(method: string, args?: unknown): Promise<T>;
  events: EventMessage[];
  ws: WebSocket;
}

async function startHost(dataDir: string): Promise<Host> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'out', 'main', 'host.js'), '--data-dir', dataDir], {
    env: { ...process.env, MASKLINE_MODELS: h.modelsDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = new URL(await until(() => /Maskline is running at (\S+)/.exec(out)?.[1], `the host's URL (${out})`, 30_000));
  const token = url.searchParams.get('token')!;
  const events: EventMessage[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${url.port}/events?token=${token}`);
  ws.on('message', (d) => events.push(JSON.parse(String(d)) as EventMessage));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const call = async <T>(method: string, args: unknown = {}): Promise<T> => {
    const r = await fetch(`http://127.0.0.1:${url.port}/api/${method}`, {
      method: 'POST',
      headers: { 'x-maskline-token': token, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await r.json()) as ApiResult<T>;
    if (!body.ok) throw new Error(`${method}: ${body.error.code} ${body.error.message}`);
    return body.value;
  };
  return { child, call, events, ws };
}

describe('SIGKILL during a propagation', () => {
  it('keeps every frame reported done; the project reopens cleanly and continues', async () => {
    ensureHostBuilt();
    const video = h.video('kill.mp4', 120);
    const dataDir = join(h.root, 'data');
    const host = await startHost(dataDir);
    let reported: number[] = [];
    let dir = '';
    try {
      const st = await host.call<ProjectState>('project.openVideo', { path: video });
      dir = st.dir;
      await until(
        () =>
          host.events.some(
            (e) => e.event === 'engine.changed' && (e.payload as EngineStatus).state === 'ready' && Object.keys((e.payload as EngineStatus).providers).length,
          ),
        'the engine',
        60_000,
      );
      await host.call('objects.add', {});
      await host.call('objects.add', {});
      await host.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
      await host.call('prompts.add', { objectId: 2, frame: 0, points: [], labels: [], box: [200, 10, 300, 60] });
      await host.call('track.propagate', { frame: 0, direction: 'forward' });
      const updates = () => host.events.filter((e) => e.event === 'masks.updated').map((e) => e.payload as FrameMasks);
      await until(() => updates().length >= 8, 'eight propagated frames', 60_000);
      host.child.kill('SIGKILL');
      reported = updates().map((u) => u.frame);
      await new Promise((r) => host.child.once('exit', r));
    } finally {
      host.ws.terminate();
      if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
    }
    expect(reported.length).toBeGreaterThanOrEqual(8);
    expect(reported.length).toBeLessThan(120);

    // straight from the database: every reported frame of both objects is there and decodes
    const s = openProjectStore(dir, { create: false });
    try {
      for (const f of reported) {
        const masks = s.masks.forFrame(f);
        expect(
          masks.map((m) => m.objectId),
          `frame ${f}`,
        ).toEqual([1, 2]);
        for (const m of masks) expect(decodeMask(m.rle).length).toBe(W * H);
      }
      expect(s.runs.list(1)[0]).toMatchObject({ kind: 'propagate', state: 'running' });
      expect(s.runs.list(1)[0]!.framesDone).toBeGreaterThanOrEqual(reported.length);
    } finally {
      s.close();
    }

    // a fresh app opens the project cleanly and goes on from the last saved frame
    const x = h.services('data');
    const re = await x.call<ProjectState>('project.open', { dir });
    expect(re.tracks.map((t) => t.objectId)).toEqual([1, 2]);
    const saved = re.tracks[0]!.frames;
    expect(saved.slice(0, reported.length)).toEqual(reported);
    expect(x.s.current!.store.runs.list(1)[0]!.state).toBe('interrupted');
    await until(() => Object.keys(x.s.engine.status().providers).length, 'the engine');
    const last = saved.at(-1)!;
    const { jobId } = await x.call<{ jobId: string }>('track.propagate', { frame: last, direction: 'forward', range: [last, last + 4] });
    expect((await x.job(jobId)).state).toBe('done');
    expect((await x.call<ProjectState>('project.state')).tracks[1]!.frames.at(-1)).toBe(last + 4);
    await x.s.shutdown();
  });

  it('a crashed engine worker fails the running propagation (WORKER), keeps its frames, and is replaced from the database', async () => {
    const x = h.services('worker');
    await x.openReady(h.video('crash.mp4', 90));
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    const { jobId } = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' });
    await until(() => x.events.filter((e) => e.event === 'masks.updated').length >= 3, 'three frames');
    await x.s.engine.killWorker();
    const job = await x.job(jobId);
    expect(job).toMatchObject({ state: 'failed', errorCode: 'WORKER' });
    const saved = (await x.call<ProjectState>('project.state')).tracks[0]!.frames;
    expect(saved.length).toBeGreaterThanOrEqual(3);
    // the next call starts a new worker, restores it from the database and works
    const r = await x.call<{ frame: FrameMasks }>('prompts.add', { objectId: 1, frame: saved.at(-1)!, points: [squareAt(saved.at(-1)!)], labels: [1] });
    expect(r.frame.masks[0]!.source).toBe('corrected');
    const again = await x.call<{ jobId: string }>('track.repropagateFrom', { frame: saved.at(-1)! });
    expect((await x.job(again.jobId)).state).toBe('done');
    expect((await x.call<ProjectState>('project.state')).tracks[0]!.frames).toHaveLength(90);
    await x.s.shutdown();
  });
});
