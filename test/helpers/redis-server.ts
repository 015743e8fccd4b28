// A real redis-server for the batch tests (the benchmark's own, src-main/cli/bench/redis-process.ts).
// Where Debian's redis-server is not installed (.ci/run installs it) the suites skip with the
// printed reason; where it is, a failure to start is a test failure.
import { freePort, redisServerCandidates, redisServerPath, startRedisServer, type RedisProcess } from '../../src-main/cli/bench/redis-process';

export { freePort };
export type RedisHandle = RedisProcess;

/** null when the suites can run, else why not (printed). */
export function redisSkipReason(): string | null {
  if (redisServerPath()) return null;
  const why = `redis-server is not installed (looked at ${redisServerCandidates().join(', ')}); apt-get install redis-server, as .ci/run does`;
  console.log(`batch tests skipped: ${why}`);
  return why;
}

export const startRedis = startRedisServer;
