// Where benchmarks find the checkout and the fixture packs. The tiny-shapes pack (SAM 2.1
// hiera-tiny graph shapes, random weights) ships without its 155 MB of weights: they are
// written once into .cache/ by the fixture's own make-weights.mjs (seeded, same bytes everywhere).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectRepoRoot } from '../../services/app-paths';

/** The checkout the benchmarks run from (they need its fixtures and build output). */
export function repoRoot(): string {
  return detectRepoRoot() ?? process.cwd();
}

/** The micro fixture pack copied into test/fixtures (see its README). */
export function microPack(root = repoRoot()): string {
  return join(root, 'test', 'fixtures', 'sam2-micro', 'pack');
}

const TINY_FILES = ['model.json', 'params.bin', 'image_encoder.onnx', 'mask_decoder.onnx', 'memory_encoder.onnx', 'memory_attention.onnx', 'make-weights.mjs', 'weights-manifest.json'];

/** The tiny-shapes pack with its weights, prepared once in .cache (null when the fixture is absent). */
export function tinyShapesPack(root = repoRoot()): string | null {
  const src = process.env.MASKLINE_TINY_SHAPES_DIR ?? join(root, '..', 'shared', 'fixtures', 'sam2.1-tiny-shapes');
  if (!existsSync(join(src, 'model.json'))) return null;
  const dir = join(root, '.cache', 'sam2.1-tiny-shapes');
  mkdirSync(dir, { recursive: true });
  for (const f of TINY_FILES) {
    if (!existsSync(join(dir, f)) || statSync(join(dir, f)).size !== statSync(join(src, f)).size) copyFileSync(join(src, f), join(dir, f));
  }
  const wm = JSON.parse(readFileSync(join(dir, 'weights-manifest.json'), 'utf8')) as { graphs: Record<string, { weights_file: string; bytes: number }> };
  const ready = Object.values(wm.graphs).every((g) => existsSync(join(dir, g.weights_file)) && statSync(join(dir, g.weights_file)).size === g.bytes);
  if (!ready) execFileSync(process.execPath, [join(dir, 'make-weights.mjs'), dir], { stdio: 'ignore' });
  return dir;
}
