// What this machine's onnxruntime-node can try: the facts the pure provider plan
// (provider-plan.ts) decides on. Each unavailable provider gets a reason the user can read.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { webgpuNotForAuto, type Unavailable } from './provider-plan';

/**
 * Why CUDA cannot even be tried, or null when it can: onnxruntime-node has a CUDA provider on
 * Linux x64 only, and its install script places the provider libraries next to the binding
 * (they are left out when the install could not download them). Checking first avoids a noisy
 * native error for every auto start on machines without them.
 */
export function cudaUnavailableReason(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `onnxruntime-node has no CUDA provider on ${process.platform}-${process.arch}`;
  try {
    const req = createRequire(import.meta.url);
    const bin = join(dirname(req.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', 'linux', 'x64');
    for (const lib of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']) {
      if (!existsSync(join(bin, lib))) return `onnxruntime-node's CUDA provider library ${lib} is not installed`;
    }
  } catch {
    return 'onnxruntime-node could not be located';
  }
  return null;
}

/** Backends this onnxruntime-node binary was built with (webgpu, dml, coreml ship inside it). */
function bundledBackends(): Set<string> {
  try {
    return new Set(
      ort
        .listSupportedBackends()
        .filter((b) => b.bundled)
        .map((b) => b.name),
    );
  } catch {
    return new Set(['cpu']);
  }
}

/** Why each non-CPU provider cannot be tried here (absent key: it can be tried). */
export function providerUnavailable(platform: string = process.platform): Unavailable {
  const bundled = bundledBackends();
  const out: Unavailable = {};
  const cuda = cudaUnavailableReason();
  if (cuda) out.cuda = cuda;
  if (!bundled.has('webgpu')) out.webgpu = `this onnxruntime-node build has no WebGPU provider (${platform})`;
  if (platform !== 'win32') out.dml = 'DirectML exists on Windows only';
  else if (!bundled.has('dml')) out.dml = 'this onnxruntime-node build has no DirectML provider';
  if (platform !== 'darwin') out.coreml = 'CoreML exists on macOS only';
  else if (!bundled.has('coreml')) out.coreml = 'this onnxruntime-node build has no CoreML provider';
  return out;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Providers that work when asked for but that auto should not pick here (a software GPU). */
export function providerNotForAuto(platform: string = process.platform): Unavailable {
  const why = webgpuNotForAuto(platform, [...listDir('/dev/dri'), ...listDir('/dev')]);
  return why ? { webgpu: why } : {};
}
