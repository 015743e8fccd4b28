// The micro SAM 2.1 fixture pack (random weights, ~8 MB) as test material: located in the repo's
// test fixtures or the shared fixtures folder, copied into temp dirs, altered in controlled ways.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));

export function microPackDir(): string {
  const candidates = [join(repoRoot, 'test/fixtures/sam2-micro/pack'), join(repoRoot, '../shared/fixtures/sam2-micro/pack')];
  const found = candidates.find((c) => existsSync(join(c, 'model.json')));
  if (!found) throw new Error(`micro fixture pack not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const PACK_FILES = ['model.json', 'image_encoder.onnx', 'mask_decoder.onnx', 'memory_encoder.onnx', 'memory_attention.onnx', 'params.bin'];

export function copyMicroPack(dest: string): string {
  cpSync(microPackDir(), dest, { recursive: true });
  return dest;
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function readManifest(dir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

export function writeManifest(dir: string, m: Record<string, unknown>): void {
  writeFileSync(join(dir, 'model.json'), JSON.stringify(m, null, 2));
}

/** Replaces a listed file's content and updates its size and sha256 in model.json (a consistent pack). */
export function replaceListedFile(dir: string, name: string, content: Buffer): void {
  writeFileSync(join(dir, name), content);
  const m = readManifest(dir);
  m.files[name] = { bytes: content.length, sha256: sha256(content) };
  writeManifest(dir, m);
}

/** The pack's files as buffers, keyed by name (what a test server serves). */
export function packBuffers(dir: string): Map<string, Buffer> {
  return new Map(PACK_FILES.map((n) => [n, readFileSync(join(dir, n))]));
}
