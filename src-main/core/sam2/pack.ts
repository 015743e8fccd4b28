// Loading a model pack folder: manifest, file sizes and sha256, params.bin tensors.
// Graph signatures are checked when the sessions are opened (sessions.ts), because reading a
// graph's inputs and outputs means loading it.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PackError } from './errors';
import { GRAPH_NAMES, parseManifest, requiredParams, type GraphName, type PackManifest } from './manifest';

export interface PackParams {
  noMemoryEmbedding: Float32Array;
  /** [numMaskmem, D] */
  memoryTemporalPosEnc: Float32Array;
  /** [D, C] */
  tposProjWeight: Float32Array;
  /** [D] */
  tposProjBias: Float32Array;
  noObjectPointer: Float32Array;
  /** [4, 4] */
  maskDownsampleWeight: Float32Array;
  maskDownsampleBias: number;
}

export interface ModelPack {
  dir: string;
  manifest: PackManifest;
  params: PackParams;
  graphPaths: Record<GraphName, string>;
  /** total bytes of the files listed in the manifest */
  bytes: number;
}

export interface LoadPackOptions {
  /** check sha256 of every listed file (default true); sizes are always checked */
  verifyHashes?: boolean;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Validates a pack folder and reads its params. Errors are PackError naming the file and the problem. */
export async function loadPack(dir: string, opts: LoadPackOptions = {}): Promise<ModelPack> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PackError('PACK_MISSING', `model pack folder not found: ${dir}`);
  const manifestPath = join(dir, 'model.json');
  if (!existsSync(manifestPath)) throw new PackError('FILE_MISSING', `model.json is missing in ${dir}`, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new PackError('MANIFEST_INVALID', `model.json in ${dir} is not valid JSON: ${(e as Error).message}`, 'model.json');
  }
  const manifest = parseManifest(raw);

  // Every file the engine opens must be listed, so a download can always be verified.
  const needed = [...GRAPH_NAMES.map((g) => manifest.graphs[g]), manifest.paramsFile];
  for (const f of needed) {
    if (!manifest.files[f]) throw new PackError('FILE_UNVERIFIED', `model.json lists no size and sha256 for ${f} under "files"`, f);
  }
  let bytes = 0;
  for (const [name, info] of Object.entries(manifest.files)) {
    const p = join(dir, name);
    if (!existsSync(p)) throw new PackError('FILE_MISSING', `${name} is missing from the model pack ${dir}`, name);
    const size = statSync(p).size;
    if (size !== info.bytes) {
      const how = size < info.bytes ? 'truncated' : 'larger than expected';
      throw new PackError('SIZE_MISMATCH', `${name} is ${how}: ${size} bytes, model.json says ${info.bytes}`, name);
    }
    bytes += size;
  }
  if (opts.verifyHashes !== false) {
    for (const [name, info] of Object.entries(manifest.files)) {
      const got = await sha256File(join(dir, name));
      if (got !== info.sha256) {
        throw new PackError('SHA256_MISMATCH', `${name} is damaged or was changed: sha256 ${got}, model.json says ${info.sha256}`, name);
      }
    }
  }
  const params = readParams(join(dir, manifest.paramsFile), manifest);
  const graphPaths = Object.fromEntries(GRAPH_NAMES.map((g) => [g, join(dir, manifest.graphs[g])])) as Record<GraphName, string>;
  return { dir, manifest, params, graphPaths, bytes };
}

function readParams(path: string, m: PackManifest): PackParams {
  const buf = readFileSync(path);
  const file = m.paramsFile;
  const get = (name: string, shape: number[]): Float32Array => {
    const e = m.params[name];
    if (!e) throw new PackError('PARAM_MISSING', `${file}: model.json indexes no tensor "${name}"`, file);
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new PackError('PARAM_INVALID', `${file}: tensor "${name}" has shape [${e.shape}], expected [${shape}]`, file);
    }
    const n = shape.reduce((a, b) => a * b, 1);
    if (e.offset + n * 4 > buf.length) {
      throw new PackError(
        'PARAM_INVALID',
        `${file}: tensor "${name}" (${n * 4} bytes at offset ${e.offset}) runs past the end of the file (${buf.length} bytes)`,
        file,
      );
    }
    // copy out: the Buffer may be a slice of a shared pool with any alignment
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = buf.readFloatLE(e.offset + 4 * i);
    if (!out.every(Number.isFinite)) throw new PackError('PARAM_INVALID', `${file}: tensor "${name}" holds NaN or infinite values`, file);
    return out;
  };
  const req = requiredParams(m);
  return {
    noMemoryEmbedding: get('no_memory_embedding', req.no_memory_embedding!),
    memoryTemporalPosEnc: get('memory_temporal_positional_encoding', req.memory_temporal_positional_encoding!),
    tposProjWeight: get('tpos_proj_weight', req.tpos_proj_weight!),
    tposProjBias: get('tpos_proj_bias', req.tpos_proj_bias!),
    noObjectPointer: get('no_object_pointer', req.no_object_pointer!),
    maskDownsampleWeight: get('mask_downsample_weight', req.mask_downsample_weight!),
    maskDownsampleBias: get('mask_downsample_bias', req.mask_downsample_bias!)[0]!,
  };
}
