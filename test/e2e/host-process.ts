// Start the built browser host (out/main/host.js) as a child process, like `npm start`
// does without Electron, and read the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface HostProcess {
  url: string;
  token: string;
  port: number;
  /** everything the host wrote, for failure messages */
  output(): string;
  stop(): Promise<void>;
}

export const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
export const HOST_JS = join(ROOT, 'out', 'main', 'host.js');

/** The micro SAM 2.1 pack committed with the tests (random weights, 256 px input: fast on any CPU). */
export const MICRO_PACK = join(ROOT, 'test', 'fixtures', 'sam2-micro', 'pack');

export async function startHostProcess(dataDir: string, extraArgs: string[] = [], timeoutMs = 20_000, env: Record<string, string> = {}): Promise<HostProcess> {
  if (!existsSync(HOST_JS)) throw new Error(`${HOST_JS} is missing: run \`npm run build\` first.`);
  const child: ChildProcess = spawn(process.execPath, [HOST_JS, '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /Maskline is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with code ${code}:\n${out}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    token: u.searchParams.get('token')!,
    port: Number(u.port),
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
