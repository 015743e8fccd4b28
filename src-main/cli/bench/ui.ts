// Suite `ui`: what a user feels in the browser renderer, measured in Debian's Chromium
// (headless, via playwright) against the built browser host (out/main/host.js) in its own
// process — the same pieces `npm start` runs without Electron.
//   open → first frame: from the Open click to frame 0 drawn on the canvas, with a fresh
//     data dir (frames extracted while we wait) and again with the frame cache complete;
//   scrub latency: from the input event to the asked-for frame drawn on the canvas
//     (MutationObserver on the canvas's data-frame; the screen shows it at the next vsync),
//     for single steps (→, neighbours prefetched) and for jumps to random timeline positions.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { requireTool } from '../../core/video';
import { repoRoot } from './packs';
import type { BenchOptions, BenchSuite, BenchTable } from './suite';

interface Clip {
  width: number;
  height: number;
  fps: number;
  seconds: number;
}

// Runs in the page (a string: the Node-side build has no DOM types). __frameAt(f) resolves
// with performance.now() when the canvas has drawn frame f; __t0 is the last input's time.
const PAGE_HELPERS = `
  window.__t0 = 0;
  for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, () => { window.__t0 = performance.now(); }, true);
  window.__frameAt = (f) => new Promise((resolve) => {
    const done = () => document.querySelector('[data-testid=frame-canvas]')?.dataset.frame === String(f);
    if (done()) return resolve(performance.now());
    const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); resolve(performance.now()); } });
    mo.observe(document.body, { attributes: true, subtree: true, childList: true, attributeFilter: ['data-frame'] });
  });
`;

export const uiBench: BenchSuite = {
  name: 'ui',
  summary: 'browser renderer in Chromium against the built host: open → first frame, scrub latency p50/p95',
  async run(opts: BenchOptions): Promise<BenchTable[]> {
    const clip: Clip = opts.quick ? { width: 640, height: 360, fps: 25, seconds: 5 } : { width: 1920, height: 1080, fps: 30, seconds: 20 };
    const runs = opts.quick ? 1 : 3;
    const steps = opts.quick ? 30 : 200;
    const jumps = opts.quick ? 10 : 60;
    const root = repoRoot();
    const hostJs = join(root, 'out', 'main', 'host.js');
    if (!existsSync(hostJs) || !existsSync(join(root, 'out', 'renderer', 'index.html')))
      throw new Error(`ui bench: ${hostJs} or the renderer is missing; run \`npm run build\` first`);
    const video = makeClip(join(opts.workDir, `clip-${clip.width}x${clip.height}.mp4`), clip);
    const frames = clip.fps * clip.seconds;

    const { chromium } = await loadPlaywright(root);
    const browser = await chromium.launch({
      executablePath: process.env.MASKLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const cold: number[] = [];
    const warm: number[] = [];
    let stepMs: number[] = [];
    let jumpMs: number[] = [];
    try {
      for (let r = 0; r < runs; r++) {
        const dataDir = join(opts.workDir, `data-${r}`);
        mkdirSync(dataDir, { recursive: true });
        // first session: nothing cached, frames are extracted while we wait
        await withSession(browser, hostJs, dataDir, async (page) => {
          cold.push(await openAndTime(page, video));
          await page.getByTestId('job').waitFor({ state: 'detached', timeout: 600_000 });
        });
        // a new session on the same data dir: the frame cache is complete
        await withSession(browser, hostJs, dataDir, async (page) => {
          warm.push(await openAndTime(page, video));
          if (r === runs - 1) {
            stepMs = await measureSteps(page, steps, frames);
            jumpMs = await measureJumps(page, jumps, frames);
          }
        });
      }
    } finally {
      await browser.close();
    }
    const label = `${clip.width}×${clip.height}, ${frames} frames`;
    return [
      {
        title: `Open → first frame shown (${label})`,
        columns: ['case', 'runs', 'p50 ms', 'max ms'],
        rows: [
          ['fresh data dir (extraction running)', cold.length, pct(cold, 50), Math.max(...cold)],
          ['frame cache complete', warm.length, pct(warm, 50), Math.max(...warm)],
        ],
        notes: ['from the Open click (pointerdown) to frame 0 drawn on the canvas; includes probe, project DB, extraction start and JPEG decode'],
      },
      {
        title: `Scrub latency, input → frame drawn (${label})`,
        columns: ['input', 'n', 'p50 ms', 'p95 ms', 'max ms'],
        rows: [
          ['→ (next frame, prefetched)', stepMs.length, pct(stepMs, 50), pct(stepMs, 95), Math.max(...stepMs)],
          ['click at a random timeline position', jumpMs.length, pct(jumpMs, 50), pct(jumpMs, 95), Math.max(...jumpMs)],
        ],
        notes: ['Chromium headless --disable-gpu (software compositing); the screen shows the frame at the next vsync after this'],
      },
    ];
  },
};

type Page = import('playwright').Page;
type Browser = import('playwright').Browser;

async function withSession(browser: Browser, hostJs: string, dataDir: string, fn: (page: Page) => Promise<void>): Promise<void> {
  const host = await startHost(hostJs, dataDir);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.addInitScript({ content: PAGE_HELPERS });
    await page.goto(host.url);
    await fn(page);
  } finally {
    await page.close();
    await host.stop();
  }
}

async function openAndTime(page: Page, video: string): Promise<number> {
  await page.getByTestId('open-path').fill(video);
  const shown = page.evaluate('window.__frameAt(0)') as Promise<number>;
  await page.getByTestId('open-button').click();
  const t1 = await within(shown, 'first frame after Open');
  return t1 - ((await page.evaluate('window.__t0')) as number);
}

/** playwright is a dev dependency: resolved from the checkout at run time, never bundled into the CLI. */
async function loadPlaywright(root: string): Promise<typeof import('playwright')> {
  const path = createRequire(join(root, 'package.json')).resolve('playwright');
  const mod = (await import(pathToFileURL(path).href)) as typeof import('playwright') & { default?: typeof import('playwright') };
  return mod.chromium ? mod : mod.default!;
}

async function measureSteps(page: Page, n: number, frames: number): Promise<number[]> {
  await page.keyboard.press('Home');
  await page.evaluate('window.__frameAt(0)');
  const out: number[] = [];
  for (let i = 1; i <= Math.min(n, frames - 1); i++) {
    const shown = page.evaluate(`window.__frameAt(${i})`) as Promise<number>;
    await page.keyboard.press('ArrowRight');
    out.push((await within(shown, `frame ${i} after →`)) - ((await page.evaluate('window.__t0')) as number));
    // a user's key repeat is ~30/s: give the prefetcher the time a real step would
    await page.waitForTimeout(30);
  }
  return out;
}

async function measureJumps(page: Page, n: number, frames: number): Promise<number[]> {
  const box = (await page.getByTestId('scrubber').boundingBox())!;
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const target = Math.floor(rand() * frames);
    const shown = page.evaluate(`window.__frameAt(${target})`) as Promise<number>;
    // the right edge itself belongs to the next element: stay a pixel inside
    await page.mouse.click(box.x + Math.min(box.width - 1, (target / (frames - 1)) * box.width), box.y + box.height / 2);
    out.push((await within(shown, `frame ${target} after a timeline click`)) - ((await page.evaluate('window.__t0')) as number));
  }
  return out;
}

/** A measurement that never arrives is a failure with a reason, not a hang. */
function within<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((_r, reject) => (timer = setTimeout(() => reject(new Error(`ui bench: no ${what} within ${ms} ms`)), ms)))]).finally(
    () => clearTimeout(timer),
  );
}

function pct(xs: number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function makeClip(path: string, c: Clip): string {
  const r = spawnSync(requireTool('ffmpeg').path, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${c.width}x${c.height}:rate=${c.fps}`,
    '-t',
    String(c.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  if (r.status !== 0) throw new Error(`ui bench: making the test clip failed: ${r.stderr}`);
  return path;
}

async function startHost(hostJs: string, dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [hostJs, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ui bench: the host printed no URL:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /Maskline is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => reject(new Error(`ui bench: the host exited (${code}):\n${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
