// Redis connections of the batch queue: made here only, checked with a PING before use, so an
// unreachable server is one clear error naming the URL (its password hidden) within seconds.
import { Redis } from 'ioredis';
import { CodedError } from '../api/errors';
import { checkRedisUrl, CONNECT_TIMEOUT_MS, redactRedisUrl, redisOptions } from '../core/batch/queue-config';

export class RedisError extends CodedError<'REDIS_UNREACHABLE' | 'BAD_REDIS_URL'> {}

/** A connected client, or a RedisError naming the URL and why. */
export async function connectRedis(url: string, kind: 'command' | 'worker'): Promise<Redis> {
  const bad = checkRedisUrl(url);
  if (bad) throw new RedisError('BAD_REDIS_URL', bad);
  const client = new Redis(url, redisOptions(kind));
  // ioredis reports connection trouble as 'error' events too; the PING below is what decides
  let lastError: NodeJS.ErrnoException | null = null;
  client.on('error', (e: NodeJS.ErrnoException) => (lastError = e));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 500))),
    ]);
    return client;
  } catch (err) {
    client.disconnect();
    // "Connection is closed" says less than the socket's own error (ECONNREFUSED, ENOTFOUND, WRONGPASS…)
    const e = (lastError ?? err) as NodeJS.ErrnoException;
    throw new RedisError(
      'REDIS_UNREACHABLE',
      `cannot reach Redis at ${redactRedisUrl(url)}: ${e.code && !e.message.includes(e.code) ? `${e.code} ${e.message}` : e.message}`,
      { url: redactRedisUrl(url) },
    );
  } finally {
    clearTimeout(timer);
  }
}
