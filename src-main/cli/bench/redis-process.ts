// A private redis-server for the batch benchmark and the batch tests (test/helpers/redis-server.ts):
// a free loopback port, a temp dir, nothing saved (--save '' --appendonly no); stopped and
// removed after. Debian's redis-server (MASKLINE_REDIS_SERVER names another binary).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function redisServerCandidates(env: Record<string, string | undefined> = process.env): string[] {
  return [env.MASKLINE_REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter((p): p is string => !!p);
}

export function redisServerPath(): string | null {
  return redisServerCandidates().find((p) => existsSync(p)) ?? null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisProcess> {
  const bin = redisServerPath();
  if (!bin) throw new Error(`redis-server is not installed (looked at ${redisServerCandidates().join(', ')}): apt-get install redis-server`);
  const dir = mkdtempSync(join(tmpdir(), 'maskline-redis-'));
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${log}`)), 10_000);
      child.stdout.on('data', () => {
        if (!/Ready to accept connections/.test(log)) return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${log}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
