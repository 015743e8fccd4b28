// Set-up the tests that drive AppServices share: services on a temp data dir (quiet, on the
// browser transport unless told otherwise), the micro pack's folder for MASKLINE_MODELS, an API
// answer that must be ok, polling until a condition holds, an open project ready to work on
// (frames extracted, engine loaded), and a job's end. The workflow tests' harness
// (test/integration/workflow-harness.ts) builds on it.
import { dirname } from 'node:path';
import type { ApiResult, EngineStatus, JobSnapshot } from '../../src-main/api/contract';
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

/** The job's final snapshot (done, failed or cancelled). */
export async function jobEnd(s: AppServices, jobId: string): Promise<JobSnapshot> {
  // never disposed: it ends with the job
  return (await followJob(s.jobs, jobId).end)!;
}
