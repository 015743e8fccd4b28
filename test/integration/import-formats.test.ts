// Import of every format we export: a project with known masks is exported, each format is
// imported into a fresh project of the same video, and the masks must come back pixel for
// pixel (as fixed masks and as mask prompts). Plus COCO files made by other tools (polygons,
// uncompressed RLE, file-name matching with a report of unmatched images), mapping onto
// existing objects, --every, and the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import type { ProjectStore } from '../../src-main/core/store';
import { openProjectStore } from '../../src-main/core/store';
import { runExport, storeExportSource } from '../../src-main/core/export';
import { importAnnotations, type ImportFormat, type ImportRequest } from '../../src-main/core/import';
import { decodeMask } from '../../src-main/core/masks/rle';
import { disc, rect } from '../unit/export/mask-shapes';
import { makeProject, type FixtureMask } from '../unit/export/fixture-project';
import { runCli as cli } from '../unit/export/cli-capture';

const W = 96;
const H = 64;
const FRAMES = 10;
// three objects that never overlap (palette and MOTS resolve overlaps), distinct labels (YOLO
// has one object per class), no holes (YOLO fills them), small parts (YOLO keeps them exact)
const masksOf = (f: number): FixtureMask[] => [
  { objectId: 1, frame: f, bitmap: disc(W, H, 16 + 2 * f, 20, 10), score: 2 },
  { objectId: 2, frame: f, bitmap: rect(W, H, 60, 30, 90, 40 + f), score: 1 },
  ...(f === 2 || f === 5 ? [{ objectId: 3, frame: f, bitmap: rect(W, H, 10, 40 + f, 30, 60), score: 0.5 }] : []),
];
const OBJECTS = [
  { name: 'disc', label: 'person' },
  { name: 'box', label: 'car' },
  { name: 'blink', label: 'dog' },
];

let t: ReturnType<typeof tempDir>;
let video: string;
let source: ProjectStore;
let out: string;

beforeAll(async () => {
  t = tempDir('maskline-import-');
  video = makeVideo(join(t.dir, 'clip.mp4'), { width: W, height: H, frames: FRAMES, fps: 25 });
  source = await makeProject(join(t.dir, 'source'), video, OBJECTS, () => Array.from({ length: FRAMES }, (_, f) => masksOf(f)).flat());
  out = join(t.dir, 'out');
  await runExport(storeExportSource(source), { formats: ['png', 'palette', 'coco', 'yolo', 'mots'], outDir: out });
});
afterAll(() => {
  source.close();
  t.cleanup();
});

let n = 0;
async function freshProject(): Promise<ProjectStore> {
  return makeProject(join(t.dir, `p${++n}`), video, [], () => []);
}

/** Every object's masks frame by frame as 0/1 strings, objects in id order (ids renumbered 1..n). */
function masksOfStore(s: ProjectStore): string[][] {
  return s.objects.list().map((o) =>
    Array.from({ length: FRAMES }, (_, f) => {
      const m = s.masks.get(o.id, f);
      return m ? Array.from(decodeMask(m.rle)).join('') : '0'.repeat(W * H);
    }),
  );
}
const vid = { width: W, height: H, frames: FRAMES };

describe('round trips: export → import gives the same masks pixel for pixel', () => {
  it.each(['png', 'palette', 'coco', 'yolo', 'mots'] as ImportFormat[])('%s, as fixed masks and as prompts', async (format) => {
    for (const use of ['fixed', 'prompts'] as const) {
      const s = await freshProject();
      try {
        const r = await importAnnotations(s, vid, { format, path: out, use, pick: 'all' });
        expect(r.stored).toBe(FRAMES * 2 + 2);
        expect(masksOfStore(s)).toEqual(masksOfStore(source));
        const sources = new Set(s.objects.list().flatMap((o) => Array.from({ length: FRAMES }, (_, f) => s.masks.get(o.id, f)?.source).filter(Boolean)));
        expect([...sources]).toEqual([use === 'fixed' ? 'fixed' : 'prompt']);
        expect(s.prompts.list().length).toBe(use === 'prompts' ? FRAMES * 2 + 2 : 0);
        if (format !== 'png' && format !== 'palette') expect(s.objects.list().map((o) => o.label)).toEqual(['person', 'car', 'dog']);
        if (format === 'coco') expect(s.objects.list().map((o) => o.name)).toEqual(['disc', 'box', 'blink']);
      } finally {
        s.close();
      }
    }
  });
});

describe('choosing prompt frames and mapping objects', () => {
  it('every Nth / first per object; a second import maps onto the objects by id and keeps the label', async () => {
    const s = await freshProject();
    try {
      const every3 = await importAnnotations(s, vid, { format: 'coco', path: join(out, 'coco.json'), use: 'prompts', pick: { every: 3 } });
      expect(s.prompts.forObject(1).map((p) => p.frame)).toEqual([0, 3, 6, 9]);
      expect(s.prompts.forObject(3).map((p) => p.frame)).toEqual([2]);
      expect(every3.skipped).toBe(FRAMES * 2 + 2 - 9);
      const first = await importAnnotations(s, vid, { format: 'png', path: join(out, 'masks'), use: 'prompts', pick: 'first' });
      expect(first.objects.map((o) => [o.id, o.created])).toEqual([
        [1, false],
        [2, false],
        [3, false],
      ]);
      expect(s.objects.list()).toHaveLength(3);
      expect(s.objects.list().map((o) => o.label)).toEqual(['person', 'car', 'dog']);
    } finally {
      s.close();
    }
  });

  it('a COCO file from another tool: polygons, uncompressed RLE, frames by file name, unmatched images reported', async () => {
    const s = await freshProject();
    const file = join(t.dir, 'other.json');
    // uncompressed column-major RLE of a 2-pixel-wide column stripe at x = 4..5 over all rows
    const counts = [4 * H, 2 * H, (W - 6) * H];
    writeFileSync(
      file,
      JSON.stringify({
        images: [
          { id: 7, file_name: 'clip/frame_000003.jpg', width: W, height: H },
          { id: 8, file_name: 'cover.jpg' },
          { id: 9, file_name: 'img_99.jpg' },
        ],
        categories: [
          { id: 4, name: 'ball' },
          { id: 5, name: 'stick' },
        ],
        annotations: [
          { id: 1, image_id: 7, category_id: 4, segmentation: [[10, 10, 20, 10, 20, 20, 10, 20]] },
          { id: 2, image_id: 7, category_id: 5, segmentation: { size: [H, W], counts } },
          { id: 3, image_id: 8, category_id: 4, segmentation: [[0, 0, 5, 0, 5, 5]] },
        ],
      }),
    );
    try {
      const r = await importAnnotations(s, vid, { format: 'coco', path: file, use: 'fixed', pick: 'all' });
      expect(r.unmatchedImages).toEqual(['cover.jpg', 'img_99.jpg']);
      expect(s.objects.list().map((o) => [o.name, o.label])).toEqual([
        ['ball', 'ball'],
        ['stick', 'stick'],
      ]);
      expect(Array.from(decodeMask(s.masks.get(1, 3)!.rle)).join('')).toBe(Array.from(rect(W, H, 10, 10, 20, 20)).join(''));
      expect(Array.from(decodeMask(s.masks.get(2, 3)!.rle)).join('')).toBe(Array.from(rect(W, H, 4, 0, 6, H)).join(''));
    } finally {
      s.close();
    }
  });

  it('maskline import through the CLI', async () => {
    const s = await freshProject();
    const dir = s.dir;
    s.close();
    const r = await cli('import', '--project', dir, '--format', 'mots', '--in', out, '--as', 'prompts', '--every', '5');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^imported 5 masks as mask prompts \(17 frames left out by --every\):/);
    expect(r.out).toContain('"person 2001" [person]: 2 masks (new)');
    const again = openProjectStore(dir, { create: false });
    try {
      expect(again.prompts.forObject(1).map((p) => p.frame)).toEqual([0, 5]);
    } finally {
      again.close();
    }
    const bad = await cli('import', '--project', dir, '--format', 'gif', '--in', out);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format must be one of png\|palette\|coco\|yolo\|mots/);
  });
});

describe('bad input: one clear error naming the file or entry, nothing imported', () => {
  const cases: [string, ImportFormat, (dir: string) => string, RegExp][] = [
    [
      'a mask of the wrong size',
      'png',
      (d) => {
        cpSync(join(out, 'masks'), d, { recursive: true });
        writeFileSync(join(d, '2', '00004.png'), PNG.sync.write(new PNG({ width: 8, height: 8 })));
        return d;
      },
      /2\/00004\.png: the mask is 8×8, the video is 96×64/,
    ],
    [
      'a frame past the end',
      'palette',
      (d) => {
        cpSync(join(out, 'palette'), d, { recursive: true });
        cpSync(join(d, '00001.png'), join(d, '00010.png'));
        return d;
      },
      /00010\.png: frame 10 is past the end of the video \(its last frame is 9\)/,
    ],
    [
      'a truncated PNG',
      'png',
      (d) => {
        cpSync(join(out, 'masks'), d, { recursive: true });
        const f = join(d, '1', '00007.png');
        const b = readFileSync(f);
        writeFileSync(f, b.subarray(0, b.length - 30));
        return d;
      },
      /1\/00007\.png: truncated/,
    ],
    [
      'an unknown category id',
      'coco',
      (d) => {
        const doc = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8'));
        doc.annotations[5].category_id = 42;
        writeFileSync(join(d, 'c.json'), JSON.stringify(doc));
        return join(d, 'c.json');
      },
      /annotations\[5\] \(id 6\): unknown category id 42/,
    ],
    [
      'RLE counts that do not add up',
      'mots',
      (d) => {
        const lines = readFileSync(join(out, 'mots.txt'), 'utf8').split('\n');
        lines[3] = lines[3].replace(/ \S+$/, ' 0a0');
        writeFileSync(join(d, 'm.txt'), lines.join('\n'));
        return join(d, 'm.txt');
      },
      /m\.txt line 4: COCO RLE counts sum to \d+, expected 64×96 = 6144/,
    ],
    [
      'a YOLO class past classes.txt',
      'yolo',
      (d) => {
        cpSync(join(out, 'yolo'), d, { recursive: true });
        writeFileSync(join(d, '00003.txt'), '7 0.1 0.1 0.2 0.1 0.2 0.2\n');
        return d;
      },
      /00003\.txt line 1: unknown category id 7/,
    ],
  ];
  it.each(cases)('%s', async (_n, format, make, message) => {
    const s = await freshProject();
    const d = join(t.dir, `bad${++n}`);
    mkdirSync(d);
    const req: ImportRequest = { format, path: make(d), use: 'prompts', pick: 'all' };
    try {
      await expect(importAnnotations(s, vid, req)).rejects.toMatchObject({ code: 'IMPORT_BAD_INPUT', message: expect.stringMatching(message) });
      expect(s.objects.list()).toEqual([]);
      expect(s.masks.count()).toBe(0);
      expect(s.prompts.list()).toEqual([]);
    } finally {
      s.close();
    }
  });
});
