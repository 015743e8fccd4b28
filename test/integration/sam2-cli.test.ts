// `maskline track` as batch users run it (built CLI): a folder of PNG frames and a generated
// video file, PNG masks, scores.json, --dump-logits, --reverse/--start/--max-frames, bad input.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bilinearMask } from '../../src-main/core/sam2/bilinear';
import { GLIBC_MMAP_TUNABLE } from '../../src-main/core/sam2/memory-mode';
import { ensureBuilt, REPO_ROOT } from '../fixtures/sam2-micro/build';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { iou } from '../fixtures/sam2-micro/scenarios';
import { makeVideo, tempDir } from '../helpers/make-video';

const run = promisify(execFile);
const g = loadGolden();
const tmp = tempDir('maskline-track-');
const framesDir = join(tmp.dir, 'frames');

/** `maskline track` of the micro pack on the CPU, with the given frames, prompts and output, and any further flags. */
const trackMicro = (video: string, prompts: string, out: string, ...flags: string[]) =>
  track(['--model', MICRO_PACK_DIR, '--video', video, '--prompts', prompts, '--out', out, '--provider', 'cpu', ...flags]);

async function track(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', [join(REPO_ROOT, 'resources/bin/maskline.mjs'), 'track', ...args], { timeout: 240_000, cwd });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

function readPng(p: string): { width: number; height: number; values: Set<number>; mask: Uint8Array } {
  const png = PNG.sync.read(readFileSync(p));
  const mask = new Uint8Array(png.width * png.height);
  const values = new Set<number>();
  for (let i = 0; i < mask.length; i++) {
    values.add(png.data[i * 4]!);
    mask[i] = png.data[i * 4]! > 127 ? 1 : 0;
  }
  return { width: png.width, height: png.height, values, mask };
}

beforeAll(() => {
  ensureBuilt();
  mkdirSync(framesDir);
  goldenFrames(g, false).forEach((f, t) => {
    const png = new PNG({ width: f.width, height: f.height });
    for (let i = 0; i < f.width * f.height; i++) png.data.set([f.data[i * 3]!, f.data[i * 3 + 1]!, f.data[i * 3 + 2]!, 255], i * 4);
    writeFileSync(join(framesDir, `${String(t).padStart(5, '0')}.png`), PNG.sync.write(png));
  });
  writeFileSync(
    join(tmp.dir, 's1.json'),
    JSON.stringify({
      objects: [
        { id: 1, prompts: [{ frame: 0, points: [[40, 90]], labels: [1] }] },
        { id: 7, prompts: [{ frame: 0, box: [137, 2, 183, 48] }] },
      ],
    }),
  );
}, 300_000);
afterAll(() => tmp.cleanup());

describe('maskline track', () => {
  test('S1 on a folder of PNG frames: masks, scores and logits match the reference', async () => {
    const out = join(tmp.dir, 'out-s1');
    const r = await trackMicro(framesDir, join(tmp.dir, 's1.json'), out, '--threads', '2', '--dump-logits', '--fill-holes', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/24 frames 320x180.*image_encoder=cpu/);
    // auto: the micro pack's fast mode needs a few MB, so fast on any machine
    expect(r.stderr).toMatch(/memory fast \(fast needs ~0\.0 GiB/);
    expect(readdirSync(join(out, '1')).filter((f) => f.endsWith('.png'))).toHaveLength(24);
    const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
    expect(scores.frames).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const gs = g.f32('S1/object_score_logits');
    const golden = g.u8('S1/mask_video_u8');
    const HW = g.H * g.W;
    let minIou = 1;
    for (let t = 0; t < 24; t++) {
      ['1', '7'].forEach((id, k) => {
        expect(Math.sign(scores.objects[id][String(t)])).toBe(Math.sign(gs[t * 2 + k]!));
        const png = readPng(join(out, id, `${String(t).padStart(5, '0')}.png`));
        expect([png.width, png.height]).toEqual([320, 180]);
        for (const v of png.values) expect([0, 255]).toContain(v);
        // the PNG is exactly the dumped logits resized and thresholded
        const raw = readFileSync(join(out, id, `${String(t).padStart(5, '0')}.lowres.f32`));
        expect(raw.length).toBe(64 * 64 * 4);
        const logits = new Float32Array(64 * 64).map((_, i) => raw.readFloatLE(i * 4));
        expect(iou(bilinearMask(logits, 64, 64, 180, 320), png.mask)).toBe(1);
        minIou = Math.min(minIou, iou(png.mask, golden.subarray((t * 2 + k) * HW, (t * 2 + k + 1) * HW)));
      });
    }
    // hole filling off as in the reference (transformers): the engine's parity carries through the CLI
    expect(minIou).toBeGreaterThanOrEqual(0.999);
  });

  test('a video file, --reverse --start --max-frames, --memory lean', async () => {
    const video = makeVideo(join(tmp.dir, 'shapes.mp4'), { width: 96, height: 64, frames: 12, pattern: 'shapes' });
    writeFileSync(join(tmp.dir, 'v.json'), JSON.stringify({ objects: [{ id: 3, prompts: [{ frame: 8, points: [[48, 32]], labels: [1] }] }] }));
    const out = join(tmp.dir, 'out-video');
    const r = await trackMicro(video, join(tmp.dir, 'v.json'), out, '--reverse', '--start', '8', '--max-frames', '3', '--threads', '1', '--memory', 'lean');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('memory lean (lean was asked for)');
    if (process.platform === 'linux' && !process.env.GLIBC_TUNABLES) {
      // glibc's fixed mmap threshold can only come from the environment at start: the command started again with it
      expect(r.stderr).toContain(`starting again with GLIBC_TUNABLES=${GLIBC_MMAP_TUNABLE}`);
      expect(r.stderr).not.toContain('glibc keeps freed activations');
    }
    const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
    expect(scores.frames).toEqual([8, 7, 6, 5]);
    expect(readdirSync(join(out, '3')).sort()).toEqual(['00005.png', '00006.png', '00007.png', '00008.png']);
    expect(readPng(join(out, '3', '00008.png'))).toMatchObject({ width: 96, height: 64 });
    expect(existsSync(join(out, '3', '00008.lowres.f32'))).toBe(false);
  });

  test.each([
    {
      name: 'a prompts file with a bad label',
      prompts: { objects: [{ id: 1, prompts: [{ frame: 0, points: [[10, 10]], labels: [5] }] }] },
      code: 1,
      msg: /bad\.json: objects\[0\]\.prompts\[0\]\.labels must be a list of 0\/1 values/,
    },
    {
      name: 'a prompt on a frame past the end',
      prompts: { objects: [{ id: 1, prompts: [{ frame: 30, points: [[10, 10]], labels: [1] }] }] },
      code: 1,
      msg: /object 1 .*frame 30.*does not exist/,
    },
    {
      name: 'a malformed prompts file',
      prompts: { objects: [{ id: 1, prompts: [{ frame: 0 }] }] },
      code: 1,
      msg: /bad\.json: objects\[0\]\.prompts\[0\] has neither points nor a box/,
    },
  ])('$name → exit $code with a clear message', async ({ prompts, code, msg }) => {
    writeFileSync(join(tmp.dir, 'bad.json'), JSON.stringify(prompts));
    const r = await trackMicro(framesDir, join(tmp.dir, 'bad.json'), join(tmp.dir, 'out-bad'));
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(msg);
  });

  test.runIf(process.platform === 'linux' && !process.env.GLIBC_TUNABLES)(
    '--memory lean started again: a failure in the relaunched command exits 1 with its message',
    async () => {
      writeFileSync(join(tmp.dir, 'late.json'), JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 30, points: [[10, 10]], labels: [1] }] }] }));
      const r = await trackMicro(framesDir, join(tmp.dir, 'late.json'), join(tmp.dir, 'out-late'), '--memory', 'lean');
      expect(r.stderr).toContain('starting again with GLIBC_TUNABLES');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/object 1 .*frame 30.*does not exist/);
      expect(existsSync(join(tmp.dir, 'out-late', '1'))).toBe(false);
    },
  );

  test('a video named with a colon, given relative to the shell’s folder, is read as a plain file', async () => {
    // ffmpeg would read "cam:1.mp4" as protocol "cam"; the runner hands it file:<absolute path>
    makeVideo(join(tmp.dir, 'cam:1.mp4'), { width: 96, height: 64, frames: 4, pattern: 'shapes' });
    writeFileSync(join(tmp.dir, 'c.json'), JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 0, points: [[48, 32]], labels: [1] }] }] }));
    const r = await track(
      ['--model', MICRO_PACK_DIR, '--video', 'cam:1.mp4', '--prompts', 'c.json', '--out', 'out-colon', '--provider', 'cpu', '--threads', '1'],
      tmp.dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(tmp.dir, 'out-colon', '1')).filter((f) => f.endsWith('.png'))).toHaveLength(4);
  });

  test.each([
    ['scores.json', 'scores.json'],
    ['a file inside an object folder', '1/00000.png'],
    ['an object folder of its own', '1/notes.txt'],
  ])('a user file in --out (%s): refused before any work with one message naming it, the file survives byte for byte', async (_n, rel) => {
    const out = join(tmp.dir, `out-user-${rel.replace(/\W/g, '_')}`);
    mkdirSync(join(out, rel.includes('/') ? '1' : ''), { recursive: true });
    const bytes = Buffer.from(`user data in ${rel}`);
    writeFileSync(join(out, rel), bytes);
    writeFileSync(join(tmp.dir, 'one.json'), JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 0, points: [[100, 90]], labels: [1] }] }] }));
    const r = await trackMicro(framesDir, join(tmp.dir, 'one.json'), out, '--threads', '1', '--max-frames', '2');
    expect(r.code).toBe(1);
    const named = rel === 'scores.json' ? 'scores.json' : '1/';
    expect(r.stderr).toContain(`${out} already holds files Maskline did not write: ${named}`);
    expect(r.stderr).not.toMatch(/frames \d+x\d+/); // refused before the engine opened
    expect(readFileSync(join(out, rel))).toEqual(bytes);
    expect(readdirSync(out).sort()).toEqual(rel === 'scores.json' ? ['scores.json'] : ['1']);
  });

  test('a second run over its own output replaces it; a user file put into it since is refused and kept', async () => {
    const out = join(tmp.dir, 'out-again');
    writeFileSync(join(tmp.dir, 'one.json'), JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 0, points: [[100, 90]], labels: [1] }] }] }));
    const args = ['--model', MICRO_PACK_DIR, '--video', framesDir, '--prompts', join(tmp.dir, 'one.json'), '--out', out, '--provider', 'cpu', '--threads', '1'];
    expect((await track([...args, '--max-frames', '3'])).code).toBe(0);
    // the prompted frame and 3 more
    expect(readdirSync(join(out, '1')).sort()).toEqual(['00000.png', '00001.png', '00002.png', '00003.png']);
    const again = await track([...args, '--max-frames', '2']);
    expect(again.code, again.stderr).toBe(0);
    // its own older frame 3 went with the folder it replaced
    expect(readdirSync(join(out, '1')).sort()).toEqual(['00000.png', '00001.png', '00002.png']);
    writeFileSync(join(out, '1', 'mine.txt'), 'keep me');
    const third = await track([...args, '--max-frames', '2']);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('already holds files Maskline did not write: 1/mine.txt');
    expect(readFileSync(join(out, '1', 'mine.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(join(out, '1')).sort()).toEqual(['00000.png', '00001.png', '00002.png', 'mine.txt']);
  });

  test('usage errors exit 2', async () => {
    const r = await track(['--model', MICRO_PACK_DIR, '--video', framesDir, '--prompts', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --out/);
    // a valid command line, so that each case below fails on its one bad flag only
    const valid = ['--model', MICRO_PACK_DIR, '--video', framesDir, '--prompts', join(tmp.dir, 's1.json'), '--out', join(tmp.dir, 'o')];
    const p = await track([...valid, '--provider', 'tpu']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/--provider must be cpu, cuda, webgpu, dml, coreml or auto, got/);
    const m = await track([...valid, '--memory', 'small']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--memory must be fast, lean or auto, got small');
  });
});
