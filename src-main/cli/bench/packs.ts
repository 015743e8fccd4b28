// Where benchmarks find the checkout and the fixture packs. The shapes packs (SAM 2.1 hiera-tiny
// and EdgeTAM graph shapes, random weights) ship without their weights (155 MB, 53 MB): they are
// written once into .cache/ by the fixture's own make-weights.mjs (seeded, same bytes everywhere).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuseAttention } from '../../core/sam2/fuse-attention';
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

const SHAPES_FILES = [
  'model.json',
  'params.bin',
  'image_encoder.onnx',
  'mask_decoder.onnx',
  'memory_encoder.onnx',
  'memory_attention.onnx',
  'make-weights.mjs',
  'weights-manifest.json',
];

/** A shapes pack of ../shared/fixtures with its weights, prepared once in .cache (null when the fixture is absent). */
function shapesPack(root: string, name: string, envDir: string | undefined, fusedVariant = false): string | null {
  const src = envDir ?? join(root, '..', 'shared', 'fixtures', name);
  if (!existsSync(join(src, 'model.json'))) return null;
  const dir = join(root, '.cache', name);
  mkdirSync(dir, { recursive: true });
  for (const f of SHAPES_FILES) {
    const [from, to] = [join(src, f), join(dir, f)];
    // model.json is rewritten below, so its size differs by design: recopy it only when the fixture changed
    const stale = !existsSync(to) || (f === 'model.json' ? statSync(from).mtimeMs > statSync(to).mtimeMs : statSync(to).size !== statSync(from).size);
    if (stale) copyFileSync(from, to);
  }
  const wm = JSON.parse(readFileSync(join(dir, 'weights-manifest.json'), 'utf8')) as { graphs: Record<string, { weights_file: string; bytes: number }> };
  const ready = Object.values(wm.graphs).every((g) => existsSync(join(dir, g.weights_file)) && statSync(join(dir, g.weights_file)).size === g.bytes);
  if (!ready) execFileSync(process.execPath, [join(dir, 'make-weights.mjs'), dir], { stdio: 'ignore' });
  if (fusedVariant) addFusedVariant(dir, wm.graphs.memory_attention!.weights_file);
  listFilesAsTheyAre(dir);
  return dir;
}

/**
 * The exporter writes every SAM 2.1 pack with its other memory-attention variant under variants/
 * (models/export/README.md); the tiny-shapes fixture has only its plain graph. The bench copy gets
 * the fused one, rewritten from the plain graph (core/sam2/fuse-attention.ts), so that a memory
 * mode preferring it (lean) runs what it would run on an exported pack. The weights file goes next
 * to it (a hard link where possible): onnxruntime refuses external data outside a graph's folder.
 */
function addFusedVariant(dir: string, weightsFile: string): void {
  const variants = join(dir, 'variants');
  const file = 'variants/memory_attention.fused.onnx';
  mkdirSync(variants, { recursive: true });
  if (!existsSync(join(dir, file))) {
    const { bytes, fused } = fuseAttention(readFileSync(join(dir, 'memory_attention.onnx')));
    if (fused === 0) throw new Error(`${dir}/memory_attention.onnx has no attention the rewrite recognises`);
    writeFileSync(join(dir, file), bytes);
  }
  const weights = join(variants, weightsFile);
  if (!existsSync(weights) || statSync(weights).size !== statSync(join(dir, weightsFile)).size) {
    try {
      linkSync(join(dir, weightsFile), weights);
    } catch {
      copyFileSync(join(dir, weightsFile), weights);
    }
  }
  const path = join(dir, 'model.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, { bytes: number; sha256: string }> };
  if (!manifest.files[file]) {
    // listed with a placeholder that listFilesAsTheyAre replaces by the file's size and hash
    manifest.files[file] = { bytes: 0, sha256: '' };
    writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  }
}

/**
 * The edgetam-shapes fixture's model.json lists the sizes and hashes of its graphs as they were
 * before their weights were split out into *.weights.bin, so the engine (rightly) refuses the pack.
 * The bench copy lists the files as they are; the fixture itself stays untouched (read-only).
 */
function listFilesAsTheyAre(dir: string): void {
  const path = join(dir, 'model.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files?: Record<string, { bytes: number; sha256: string }> };
  let changed = false;
  for (const [name, info] of Object.entries(manifest.files ?? {})) {
    const bytes = readFileSync(join(dir, name));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (info.bytes !== bytes.length || info.sha256 !== sha256) {
      manifest.files![name] = { bytes: bytes.length, sha256 };
      changed = true;
    }
  }
  if (changed) writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
}

/** The SAM 2.1 hiera-tiny shapes pack, with the fused attention variant an exported pack has (MASKLINE_TINY_SHAPES_DIR overrides where the fixture is). */
export function tinyShapesPack(root = repoRoot()): string | null {
  return shapesPack(root, 'sam2.1-tiny-shapes', process.env.MASKLINE_TINY_SHAPES_DIR, true);
}

/** The EdgeTAM shapes pack (MASKLINE_EDGETAM_SHAPES_DIR overrides where the fixture is). */
export function edgetamShapesPack(root = repoRoot()): string | null {
  return shapesPack(root, 'edgetam-shapes', process.env.MASKLINE_EDGETAM_SHAPES_DIR);
}
