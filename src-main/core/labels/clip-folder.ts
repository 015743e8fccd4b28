// A CLIP model folder in the transformers.js layout (what `huggingface-cli download
// Xenova/clip-vit-base-patch32` writes): config.json, preprocessor_config.json, tokenizer.json
// (+ tokenizer_config.json), onnx/vision_model*.onnx and onnx/text_model*.onnx. Reads the JSON
// files and lists the graph variants present; no ONNX session is opened here.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { LabelsError } from './errors';

/** Graph variants as transformers.js names them: onnx/<tower>_model<suffix>.onnx. */
export const CLIP_VARIANTS = { fp32: '', fp16: '_fp16', quantized: '_quantized' } as const;
export type ClipVariant = keyof typeof CLIP_VARIANTS;

export interface ClipPreprocessConfig {
  /** resize so the short side is this */
  shortestEdge: number;
  cropHeight: number;
  cropWidth: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface ClipFolder {
  dir: string;
  /** config.json's name_or_path or the folder name */
  name: string;
  /** exp(config.logit_scale) when the key is present, else 100 */
  logitScale: number;
  /** config.projection_dim when given (checked against the graphs on load) */
  projectionDim: number | null;
  preprocess: ClipPreprocessConfig;
  tokenizerJson: object;
  tokenizerConfig: object;
  /** variants with both towers present, fp32 first */
  variants: ClipVariant[];
}

function readJson(dir: string, file: string, required: boolean): Record<string, unknown> | null {
  const path = join(dir, file);
  if (!existsSync(path)) {
    if (required) throw new LabelsError('CLIP_FILE_MISSING', `${file} is missing from the CLIP folder ${dir}`, { file });
    return null;
  }
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    const code = file === 'tokenizer.json' || file === 'tokenizer_config.json' ? 'CLIP_TOKENIZER' : 'CLIP_CONFIG';
    throw new LabelsError(code, `${file} in ${dir} is not valid JSON: ${(e as Error).message}`, { file });
  }
}

/**
 * The logit scale rule: real CLIP configs carry the trained parameter as `logit_scale` (ln 100);
 * `logit_scale_init_value` is only its initial value (ln(1/0.07)), never the trained one, so
 * without `logit_scale` the trained value of every released CLIP, 100, is used. Pure.
 */
export function logitScaleFromConfig(config: Record<string, unknown>): number {
  const v = config.logit_scale;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.exp(v);
  return 100;
}

function triple(v: unknown, what: string): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new LabelsError('CLIP_CONFIG', `preprocessor_config.json: ${what} must be three numbers`, { file: 'preprocessor_config.json' });
  }
  return v as [number, number, number];
}

/** preprocessor_config.json → what preprocess.ts needs; defaults are CLIP's (224, OpenAI mean/std). */
export function parsePreprocessConfig(c: Record<string, unknown> | null): ClipPreprocessConfig {
  const OPENAI_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
  const OPENAI_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];
  if (!c) return { shortestEdge: 224, cropHeight: 224, cropWidth: 224, mean: OPENAI_MEAN, std: OPENAI_STD };
  const size = c.size;
  const shortestEdge = typeof size === 'number' ? size : size && typeof size === 'object' ? (size as Record<string, unknown>).shortest_edge : undefined;
  const crop = c.crop_size;
  const cropH = typeof crop === 'number' ? crop : crop && typeof crop === 'object' ? (crop as Record<string, unknown>).height : undefined;
  const cropW = typeof crop === 'number' ? crop : crop && typeof crop === 'object' ? (crop as Record<string, unknown>).width : undefined;
  const int = (v: unknown, what: string, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new LabelsError('CLIP_CONFIG', `preprocessor_config.json: ${what} must be a positive integer`, { file: 'preprocessor_config.json' });
    return v;
  };
  if (c.resample !== undefined && c.resample !== 3) {
    throw new LabelsError(
      'CLIP_CONFIG',
      `preprocessor_config.json: resample ${String(c.resample)} is not bicubic (3), the only resize this labeller reproduces`,
      { file: 'preprocessor_config.json' },
    );
  }
  return {
    shortestEdge: int(shortestEdge, 'size.shortest_edge', 224),
    cropHeight: int(cropH, 'crop_size.height', 224),
    cropWidth: int(cropW, 'crop_size.width', 224),
    mean: c.image_mean === undefined ? OPENAI_MEAN : triple(c.image_mean, 'image_mean'),
    std: c.image_std === undefined ? OPENAI_STD : triple(c.image_std, 'image_std'),
  };
}

export function graphPath(dir: string, tower: 'vision' | 'text', variant: ClipVariant): string {
  return join(dir, 'onnx', `${tower}_model${CLIP_VARIANTS[variant]}.onnx`);
}

export function availableVariants(dir: string): ClipVariant[] {
  return (Object.keys(CLIP_VARIANTS) as ClipVariant[]).filter((v) => existsSync(graphPath(dir, 'vision', v)) && existsSync(graphPath(dir, 'text', v)));
}

/** Reads a CLIP folder's configuration. `dir` must be absolute: user paths are never resolved against the working directory here. */
export function readClipFolder(dir: string): ClipFolder {
  if (!isAbsolute(dir)) throw new LabelsError('CLIP_FILE_MISSING', `CLIP folder path must be absolute, got ${dir}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new LabelsError('CLIP_FILE_MISSING', `${dir} is not a folder`);
  const config = readJson(dir, 'config.json', true)!;
  if (config.model_type !== undefined && config.model_type !== 'clip') {
    throw new LabelsError('CLIP_CONFIG', `config.json in ${dir} has model_type "${String(config.model_type)}", not "clip"`, { file: 'config.json' });
  }
  const preprocess = parsePreprocessConfig(readJson(dir, 'preprocessor_config.json', false));
  const tokenizerJson = readJson(dir, 'tokenizer.json', true)!;
  const tokenizerConfig = readJson(dir, 'tokenizer_config.json', false) ?? {};
  const variants = availableVariants(dir);
  if (variants.length === 0) {
    const missing = existsSync(graphPath(dir, 'vision', 'fp32')) ? 'onnx/text_model.onnx' : 'onnx/vision_model.onnx';
    throw new LabelsError('CLIP_FILE_MISSING', `${missing} is missing from the CLIP folder ${dir} (no variant has both towers)`, { file: missing });
  }
  const pd = config.projection_dim;
  return {
    dir,
    name: typeof config._name_or_path === 'string' && config._name_or_path ? config._name_or_path : dir.split(/[/\\]/).filter(Boolean).pop()!,
    logitScale: logitScaleFromConfig(config),
    projectionDim: typeof pd === 'number' && Number.isInteger(pd) ? pd : null,
    preprocess,
    tokenizerJson,
    tokenizerConfig,
    variants,
  };
}
