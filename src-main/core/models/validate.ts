// Pack validation for downloads and imports: the engine's own loader (manifest, sizes, sha256,
// params) plus its graph-signature check, so a pack is accepted by exactly the rules the engine
// will later apply. No second validator lives here.
import { loadPack } from '../sam2/pack';
import { createSessions } from '../sam2/sessions';

export interface ValidatedPack {
  dir: string;
  name: string;
  source: string;
  imageSize: number;
  /** bytes of the files model.json lists */
  bytes: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

export interface ValidateOptions {
  /** hash every listed file (default true) */
  verifyHashes?: boolean;
  /** open each graph on the CPU and check its inputs/outputs against the contract (default true) */
  checkGraphs?: boolean;
}

/** Throws the engine's PackError (code + message naming the file) when the folder is not a valid pack. */
export type PackValidator = (dir: string, opts?: ValidateOptions) => Promise<ValidatedPack>;

export const validatePackDir: PackValidator = async (dir, opts = {}) => {
  const pack = await loadPack(dir, { verifyHashes: opts.verifyHashes !== false });
  if (opts.checkGraphs !== false) {
    // CPU, one thread, no graph optimisation: only the signatures are wanted, as cheaply as possible
    const sessions = await createSessions(pack, { provider: 'cpu', threads: 1, graphOptimizationLevel: 'disabled' });
    await sessions.release();
  }
  const m = pack.manifest;
  return { dir, name: m.name, source: m.source, imageSize: m.imageSize, bytes: pack.bytes, files: m.files };
};
