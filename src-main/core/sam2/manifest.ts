// model.json of a `maskline-sam2` v1 or `maskline-edgetam` v1 pack (../shared/docs/model-contract.md,
// ../shared/docs/edgetam-notes.md section 4): parsing and validation as a pure function, so every
// rule is table-tested without files. The family is data: the engine reads only the memory layout
// (T tokens per stored memory, token-major or not, bf16 or not) from here.
import { PackError } from './errors';

export const PACK_FORMAT = 'maskline-sam2';
export const EDGETAM_PACK_FORMAT = 'maskline-edgetam';
/** Pack formats this engine reads, by model family. */
export const PACK_FORMATS = { sam2: PACK_FORMAT, edgetam: EDGETAM_PACK_FORMAT } as const;
export type ModelFamily = keyof typeof PACK_FORMATS;
export const PACK_FORMAT_VERSION = 1;
/** The model.json fields only `maskline-edgetam` packs have (memory_bf16 is allowed in both). */
export const EDGETAM_ONLY_FIELDS = ['memory_tokens_per_frame', 'memory_latents_1d', 'memory_latents_2d'] as const;

export const GRAPH_NAMES = ['image_encoder', 'mask_decoder', 'memory_encoder', 'memory_attention'] as const;
export type GraphName = (typeof GRAPH_NAMES)[number];

export interface ParamEntry {
  offset: number;
  shape: number[];
}

export interface PackManifest {
  format: string;
  formatVersion: number;
  family: ModelFamily;
  /** T: tokens of one stored memory (h·w for SAM 2.1, the perceiver's latents for EdgeTAM) */
  memoryTokensPerFrame: number;
  /** the memory encoder returns [B, T, D] token-major (EdgeTAM) instead of [B, D, h, w] planes */
  memoryTokenMajor: boolean;
  /** EdgeTAM's layout of T: L1 global latents then L2 grid latents (0 for SAM 2.1) */
  memoryLatents1d: number;
  memoryLatents2d: number;
  /** round stored memories to bfloat16 (SAM 2.1 reference) or keep float32 (EdgeTAM from transformers) */
  memoryBf16: boolean;
  name: string;
  source: string;
  /** model input size S */
  imageSize: number;
  /** h = w = S / 16 */
  featSize: number;
  /** C */
  hiddenDim: number;
  /** D */
  memDim: number;
  pixelMean: [number, number, number];
  pixelStd: [number, number, number];
  numMaskmem: number;
  maxObjPtrsInEncoder: number;
  /** -1 = all conditioning frames */
  maxCondFramesInAttn: number;
  sigmoidScaleForMemEnc: number;
  sigmoidBiasForMemEnc: number;
  multimaskOutputInSam: boolean;
  multimaskMinPtNum: number;
  multimaskMaxPtNum: number;
  multimaskOutputForTracking: boolean;
  dynamicMultimaskViaStability: boolean;
  stabilityDelta: number;
  stabilityThresh: number;
  graphs: Record<GraphName, string>;
  paramsFile: string;
  params: Record<string, ParamEntry>;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** params.bin tensors the engine needs, with their shapes as functions of the manifest. */
export function requiredParams(m: Pick<PackManifest, 'hiddenDim' | 'memDim' | 'numMaskmem'>): Record<string, number[]> {
  return {
    no_memory_embedding: [m.hiddenDim],
    memory_temporal_positional_encoding: [m.numMaskmem, m.memDim],
    tpos_proj_weight: [m.memDim, m.hiddenDim],
    tpos_proj_bias: [m.memDim],
    no_object_pointer: [m.hiddenDim],
    mask_downsample_weight: [4, 4],
    mask_downsample_bias: [1],
  };
}

type Json = Record<string, unknown>;

function fail(msg: string): never {
  throw new PackError('MANIFEST_INVALID', `model.json: ${msg}`, 'model.json');
}

function num(j: Json, key: string, opts: { int?: boolean; min?: number } = {}): number {
  const v = j[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${key}" must be a number, got ${JSON.stringify(v)}`);
  if (opts.int && !Number.isInteger(v)) fail(`"${key}" must be an integer, got ${v}`);
  if (opts.min !== undefined && v < opts.min) fail(`"${key}" must be >= ${opts.min}, got ${v}`);
  return v;
}

function bool(j: Json, key: string): boolean {
  const v = j[key];
  if (typeof v !== 'boolean') fail(`"${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function str(j: Json, key: string): string {
  const v = j[key];
  if (typeof v !== 'string' || !v) fail(`"${key}" must be a non-empty string`);
  return v;
}

function triple(j: Json, key: string): [number, number, number] {
  const v = j[key];
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(`"${key}" must be an array of 3 numbers`);
  }
  return [v[0], v[1], v[2]];
}

function obj(v: unknown, what: string): Json {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(`${what} must be an object`);
  return v as Json;
}

/** Parses and validates the manifest. Throws PackError (FORMAT_VERSION or MANIFEST_INVALID). */
export function parseManifest(raw: unknown): PackManifest {
  const j = obj(raw, 'the manifest');
  const family = (Object.keys(PACK_FORMATS) as ModelFamily[]).find((f) => PACK_FORMATS[f] === j.format);
  if (!family) {
    throw new PackError(
      'FORMAT_VERSION',
      `model.json: format is ${JSON.stringify(j.format)}, this engine reads "${PACK_FORMAT}" and "${EDGETAM_PACK_FORMAT}"`,
      'model.json',
    );
  }
  if (j.format_version !== PACK_FORMAT_VERSION) {
    throw new PackError(
      'FORMAT_VERSION',
      `model.json: format_version is ${JSON.stringify(j.format_version)}, this engine reads version ${PACK_FORMAT_VERSION} only`,
      'model.json',
    );
  }
  const imageSize = num(j, 'image_size', { int: true, min: 16 });
  const featSize = num(j, 'feat_size', { int: true, min: 1 });
  if (featSize * 16 !== imageSize) fail(`feat_size (${featSize}) must be image_size / 16 (${imageSize / 16})`);
  const hiddenDim = num(j, 'hidden_dim', { int: true, min: 8 });
  const memDim = num(j, 'mem_dim', { int: true, min: 1 });
  if (hiddenDim % memDim !== 0) fail(`hidden_dim (${hiddenDim}) must be a multiple of mem_dim (${memDim}): pointers split into hidden_dim/mem_dim tokens`);
  if (hiddenDim % 8 !== 0) fail(`hidden_dim (${hiddenDim}) must be a multiple of 8`);
  const numMaskmem = num(j, 'num_maskmem', { int: true, min: 1 });
  const memory = memoryLayout(j, family, featSize);
  const graphsJ = obj(j.graphs, '"graphs"');
  const graphs = {} as Record<GraphName, string>;
  for (const g of GRAPH_NAMES) {
    const f = graphsJ[g];
    if (typeof f !== 'string' || !f) fail(`"graphs.${g}" must name the graph file`);
    if (f.includes('/') || f.includes('\\') || f.startsWith('.')) fail(`"graphs.${g}" must be a file name inside the pack, got ${f}`);
    graphs[g] = f;
  }
  const paramsJ = obj(j.params, '"params"');
  const paramsFile = str(paramsJ, 'file');
  const tensorsJ = obj(paramsJ.tensors, '"params.tensors"');
  const params: Record<string, ParamEntry> = {};
  for (const [name, t] of Object.entries(tensorsJ)) {
    const e = obj(t, `"params.tensors.${name}"`);
    const offset = e.offset;
    const shape = e.shape;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset % 4 !== 0) {
      fail(`"params.tensors.${name}.offset" must be a non-negative multiple of 4`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      fail(`"params.tensors.${name}.shape" must be a list of positive integers`);
    }
    params[name] = { offset, shape: shape as number[] };
  }
  const filesJ = obj(j.files, '"files"');
  const files: PackManifest['files'] = {};
  for (const [name, f] of Object.entries(filesJ)) {
    const e = obj(f, `"files.${name}"`);
    if (typeof e.bytes !== 'number' || !Number.isInteger(e.bytes) || e.bytes < 0) fail(`"files.${name}.bytes" must be a byte count`);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(e.sha256)) fail(`"files.${name}.sha256" must be 64 hex digits`);
    files[name] = { bytes: e.bytes, sha256: e.sha256.toLowerCase() };
  }
  const m: PackManifest = {
    format: PACK_FORMATS[family],
    formatVersion: PACK_FORMAT_VERSION,
    family,
    ...memory,
    name: typeof j.name === 'string' ? j.name : 'unnamed pack',
    source: typeof j.source === 'string' ? j.source : '',
    imageSize,
    featSize,
    hiddenDim,
    memDim,
    pixelMean: triple(j, 'pixel_mean'),
    pixelStd: triple(j, 'pixel_std'),
    numMaskmem,
    maxObjPtrsInEncoder: num(j, 'max_obj_ptrs_in_encoder', { int: true, min: 0 }),
    maxCondFramesInAttn: num(j, 'max_cond_frames_in_attn', { int: true, min: -1 }),
    sigmoidScaleForMemEnc: num(j, 'sigmoid_scale_for_mem_enc'),
    sigmoidBiasForMemEnc: num(j, 'sigmoid_bias_for_mem_enc'),
    multimaskOutputInSam: bool(j, 'multimask_output_in_sam'),
    multimaskMinPtNum: num(j, 'multimask_min_pt_num', { int: true, min: 0 }),
    multimaskMaxPtNum: num(j, 'multimask_max_pt_num', { int: true, min: 0 }),
    multimaskOutputForTracking: bool(j, 'multimask_output_for_tracking'),
    dynamicMultimaskViaStability: bool(j, 'dynamic_multimask_via_stability'),
    stabilityDelta: num(j, 'dynamic_multimask_stability_delta'),
    stabilityThresh: num(j, 'dynamic_multimask_stability_thresh'),
    graphs,
    paramsFile,
    params,
    files,
  };
  if (m.pixelStd.some((s) => s <= 0)) fail('"pixel_std" values must be > 0');
  if (m.maxCondFramesInAttn === 0 || m.maxCondFramesInAttn === 1) {
    // the reference's selection rule needs at least one past and one future slot
    fail(`"max_cond_frames_in_attn" must be -1 or >= 2, got ${m.maxCondFramesInAttn}`);
  }
  return m;
}

/**
 * The stored-memory layout of each family (edgetam-notes.md section 5, change 1). A field of the
 * other family is refused rather than ignored: a pack that mixes them was made by a wrong exporter
 * and would track silently wrong.
 */
function memoryLayout(
  j: Json,
  family: ModelFamily,
  featSize: number,
): Pick<PackManifest, 'memoryTokensPerFrame' | 'memoryTokenMajor' | 'memoryLatents1d' | 'memoryLatents2d' | 'memoryBf16'> {
  const bf16 = j.memory_bf16 === undefined ? undefined : bool(j, 'memory_bf16');
  if (family === 'sam2') {
    const stray = EDGETAM_ONLY_FIELDS.filter((k) => j[k] !== undefined);
    if (stray.length) {
      fail(
        `${stray.map((k) => `"${k}"`).join(', ')} belong to "${EDGETAM_PACK_FORMAT}" packs (EdgeTAM's compressed memories); a "${PACK_FORMAT}" pack stores h·w tokens per memory and must not have them`,
      );
    }
    return { memoryTokensPerFrame: featSize * featSize, memoryTokenMajor: false, memoryLatents1d: 0, memoryLatents2d: 0, memoryBf16: bf16 ?? true };
  }
  const missing = [...EDGETAM_ONLY_FIELDS, 'memory_bf16'].filter((k) => j[k] === undefined);
  if (missing.length) {
    fail(`a "${EDGETAM_PACK_FORMAT}" pack needs ${missing.map((k) => `"${k}"`).join(', ')} (is this a "${PACK_FORMAT}" pack with the wrong format name?)`);
  }
  const T = num(j, 'memory_tokens_per_frame', { int: true, min: 1 });
  const l1 = num(j, 'memory_latents_1d', { int: true, min: 0 });
  const l2 = num(j, 'memory_latents_2d', { int: true, min: 0 });
  if (l1 + l2 !== T) fail(`memory_latents_1d (${l1}) + memory_latents_2d (${l2}) must equal memory_tokens_per_frame (${T})`);
  const g = Math.round(Math.sqrt(l2));
  if (g * g !== l2) fail(`memory_latents_2d (${l2}) must be a square: the grid latents sit on a g×g grid`);
  if (g > 0 && featSize % g !== 0) fail(`the ${g}×${g} latent grid must tile the ${featSize}×${featSize} feature map into equal windows`);
  return { memoryTokensPerFrame: T, memoryTokenMajor: true, memoryLatents1d: l1, memoryLatents2d: l2, memoryBf16: bf16! };
}
