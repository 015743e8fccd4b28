// Set-up the tests that drive AppServices share: services on a temp data dir (quiet, on the
// browser transport unless told otherwise), the micro pack's folder for MASKLINE_MODELS, an API
// answer that must be ok, polling until a condition holds, an open project ready to work on
// (frames extracted, engine loaded), and a job's end. The workflow tests' harness
// (test/integration/workflow-harness.ts) builds on it.
import { dirname } from 'node:path';
import type { ApiResult, EngineStatus, JobSnapshot, ProjectState } from '../../src-main/api/contract';
import { followJob } from '../../src-main/api/follow-job';
import { AppServices, type AppServicesOptions } from '../../src-main/services/app-services';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { until } from './until';

export { until };

/** MASKLINE_MODELS naming the folder that holds the micro SAM 2.1 pack. */
export const MICRO_MODELS_ENV = { MASKLINE_MODELS: dirname(MICRO_PACK_DIR) };

/** AppServices on `dataDir`: browser transport, version 'test', no log, unless `over` says otherwise. */
export function testServices(dataDir: string, over: Partial<AppServicesOptions> = {}): AppServices {
  return new AppServices({ dataDir, transport: 'browser', version: 'test', log: () => {}, ...over });
}

/** The value of an API answer that must have succeeded. */
export function ok<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** The engine's status once it is loaded and says which providers run it; false before. */
export function engineReady(s: AppServices): EngineStatus | false {
  const st = s.engine.status();
  return st.state === 'ready' && Object.keys(st.providers).length > 0 && st;
}

/** Waits until the open project's frames are extracted and the engine is loaded on them. */
export async function projectReady(s: AppServices): Promise<EngineStatus> {
  await until(() => s.current?.video.cache.isComplete(), 'the frames');
  return until(() => engineReady(s), 'the engine');
}

/**
 * The job's final snapshot (done, failed or cancelled), once the open project is no longer busy
 * with it: the services finish a run after its job ended (the engine put back in step, the run
 * recorded), and a call made before that is refused BUSY.
 */
export async function jobEnd(s: AppServices, jobId: string): Promise<JobSnapshot> {
  // never disposed: it ends with the job
  const end = (await followJob(s.jobs, jobId).end)!;
  await until(async () => {
    const r = await s.call('project.state', {});
    return !(r.ok && (r.value as ProjectState | null)?.busy?.jobId === jobId);
  }, `the project to be done with job ${jobId}`);
  return end;
}
