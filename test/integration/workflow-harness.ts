// Shared set-up of the workflow tests: a temp data dir, the micro fixture pack copied into a
// temp models folder named by MASKLINE_MODELS, a generated video (a white square moving right
// by 3 px a frame over a dark background), AppServices on them (test/helpers/services.ts), and small helpers.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResult, AppInfo, JobSnapshot, ProjectState } from '../../src-main/api/contract';
import type { EventMessage } from '../../src-main/api/bridge';
import type { PredictorOptions } from '../../src-main/core/sam2/predictor';
import type { AppServices } from '../../src-main/services/app-services';
import { ensureBuilt } from '../fixtures/sam2-micro/build';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { makeVideo, tempDir } from '../helpers/make-video';
import { jobEnd, projectReady, testServices } from '../helpers/services';

export { until } from '../helpers/services';

export const W = 320;
export const H = 240;

/** Where the square of the 'shapes' video is on frame f: a click inside it. */
export function squareAt(f: number): [number, number] {
  return [30 + 3 * f + 30, 120];
}

export interface Harness {
  root: string;
  /** a models folder holding the micro pack as "sam2-micro" */
  modelsDir: string;
  video(name: string, frames?: number): string;
  services(name: string, extra?: SessionExtras): Session;
  cleanup(): void;
}

export interface SessionExtras {
  env?: Record<string, string | undefined>;
  engine?: PredictorOptions;
  /** 'cli' is how `maskline run` and the batch worker open the services (default 'browser') */
  transport?: AppInfo['transport'];
}

export interface Session {
  s: AppServices;
  events: EventMessage[];
  dataDir: string;
  call<T>(method: string, args?: unknown): Promise<T>;
  fail(method: string, args?: unknown): Promise<{ code: string; message: string }>;
  /** open a video and wait until its frames are extracted and the engine is ready */
  openReady(video: string, projectDir?: string): Promise<ProjectState>;
  /** the job's final snapshot, once the project is no longer busy with it (test/helpers/services.ts jobEnd) */
  job(id: string): Promise<JobSnapshot>;
}

export function harness(prefix: string): Harness {
  ensureBuilt();
  const work = tempDir(prefix);
  const modelsDir = join(work.dir, 'models');
  mkdirSync(modelsDir);
  cpSync(MICRO_PACK_DIR, join(modelsDir, 'sam2-micro'), { recursive: true });
  return {
    root: work.dir,
    modelsDir,
    video: (name, frames = 24) => makeVideo(join(work.dir, name), { frames, width: W, height: H, pattern: 'shapes' }),
    services: (name, extra) => session(join(work.dir, name), { MASKLINE_MODELS: modelsDir, ...extra?.env }, extra?.engine, extra?.transport),
    cleanup: () => work.cleanup(),
  };
}

function session(
  dataDir: string,
  env: Record<string, string | undefined>,
  engine: PredictorOptions = {},
  transport: AppInfo['transport'] = 'browser',
): Session {
  const s = testServices(dataDir, { transport, version: '0.0.0-test', env, repoRoot: null, engine: { provider: 'cpu', threads: 1, ...engine } });
  const events: EventMessage[] = [];
  s.subscribe((m) => events.push(m));
  const call = async <T>(method: string, args: unknown = {}): Promise<T> => {
    const r: ApiResult<unknown> = await s.call(method, args);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
    return r.value as T;
  };
  const fail = async (method: string, args: unknown = {}) => {
    const r = await s.call(method, args);
    if (r.ok) throw new Error(`${method} should have failed, got ${JSON.stringify(r.value).slice(0, 200)}`);
    return r.error;
  };
  return {
    s,
    events,
    dataDir,
    call,
    fail,
    async openReady(video, projectDir) {
      const st = await call<ProjectState>('project.openVideo', projectDir ? { path: video, projectDir } : { path: video });
      await projectReady(s);
      return { ...st, ...(await call<ProjectState>('project.state')) };
    },
    job: (id) => jobEnd(s, id),
  };
}

export { ensureHostBuilt } from '../fixtures/sam2-micro/build';
