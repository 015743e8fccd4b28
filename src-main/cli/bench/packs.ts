// Where benchmarks find the checkout and the fixture packs. The shapes packs (SAM 2.1 hiera-tiny
// and EdgeTAM graph shapes, random weights) ship without their weights (155 MB, 53 MB): they are
// written once into .cache/ by the fixture's own make-weights.mjs (seeded, same bytes everywhere).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectRepoRoot } from '../../services/install-locations';

/** The checkout the benchmarks run from (they need its fixtures and build output). */
export function repoRoot(): string {
  return detectRepoRoot() ?? process.cwd();
}

/** The micro fixture pack copied into test/fixtures (see its README). */
export function microPack(root = repoRoot()): string {
  return join(root, 'test', 'fixtures', 'sam2-micro', 'pack');
}

/** The EdgeTAM micro fixture pack copied into test/fixtures (see its README). */
export function edgetamMicroPack(root = repoRoot()): string {
  return join(root, 'test', 'fixtures', 'edgetam-micro', 'pack');
}

const SHAPES_FILES = ['model.json', 'params.bin', 'image_encoder.onnx', 'mask_decoder.onnx', 'memory_encoder.onnx', 'memory_attention.onnx', 'make-weights.mjs', 'weights-manifest.json'];

/** A shapes pack of ../shared/fixtures with its weights, prepared once in .cache (null when the fixture is absent). */
function shapesPack(root: string, name: string, envDir: string | undefined): string | null {
  const src = envDir ?? join(root, '..', 'shared', 'fixtures', name);
  if (!existsSync(join(src, 'model.json'))) return null;
  const dir = join(root, '.cache', name);
  mkdirSync(dir, { recursive: true });
  for (const f of SHAPES_FILES) {
    if (!existsSync(join(dir, f)) || statSync(join(dir, f)).size !== statSync(join(src, f)).size) copyFileSync(join(src, f), join(dir, f));
  }
  const wm = JSON.parse(readFileSync(join(dir, 'weights-manifest.json'), 'utf8')) as { graphs: Record<string, { weights_file: string; bytes: number }> };
  const ready = Object.values(wm.graphs).every((g) => existsSync(join(dir, g.weights_file)) && statSync(join(dir, g.weights_file)).size === g.bytes);
  if (!ready) execFileSync(process.execPath, [join(dir, 'make-weights.mjs'), dir], { stdio: 'ignore' });
  return dir;
}

/** The SAM 2.1 hiera-tiny shapes pack (MASKLINE_TINY_SHAPES_DIR overrides where the fixture is). */
export function tinyShapesPack(root = repoRoot()): string | null {
  return shapesPack(root, 'sam2.1-tiny-shapes', process.env.MASKLINE_TINY_SHAPES_DIR);
}

/** The EdgeTAM shapes pack (MASKLINE_EDGETAM_SHAPES_DIR overrides where the fixture is). */
export function edgetamShapesPack(root = repoRoot()): string | null {
  return shapesPack(root, 'edgetam-shapes', process.env.MASKLINE_EDGETAM_SHAPES_DIR);
}
