// XDG_RUNTIME_DIR for Dawn (WebGPU over Vulkan) and Mesa, which expect one; headless sessions,
// services and CI often have none. No onnxruntime import: the Electron main process calls this
// before it starts the engine worker.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Dawn's Vulkan backend (and Mesa's drivers) expect XDG_RUNTIME_DIR; headless sessions, services
 * and CI often have none. Give the process a private one under the temp folder when it is unset.
 * Call it on the main thread (EngineClient does, before starting the worker): in a worker thread
 * process.env is a copy that native code does not see.
 */
export function ensureXdgRuntimeDir(): void {
  if (process.platform !== 'linux' || process.env.XDG_RUNTIME_DIR) return;
  const dir = join(tmpdir(), `maskline-xdg-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  } catch {
    // not fatal: WebGPU then reports its own error and the plan falls back
  }
}
