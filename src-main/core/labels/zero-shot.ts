// The zero-shot decision, pure: prompts from a label set, L2 normalisation, template averaging,
// logits = scale · cos and the softmax over labels (CLIP's recipe; the goldens follow it).
import { LabelsError } from './errors';

export const DEFAULT_TEMPLATE = 'a photo of a {label}.';

export interface LabelSet {
  labels: string[];
  /** prompt templates with `{label}` (or `{}`); more than one are averaged per label */
  templates: string[];
}

/** Trims, drops empty and duplicate labels (case-insensitive), checks the templates. */
export function normalizeLabelSet(labels: readonly string[], templates: readonly string[] = [DEFAULT_TEMPLATE]): LabelSet {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of labels) {
    const l = raw.trim();
    if (!l || seen.has(l.toLowerCase())) continue;
    seen.add(l.toLowerCase());
    out.push(l);
  }
  if (out.length === 0) throw new LabelsError('BAD_LABELS', 'the label set is empty: give at least one label');
  const ts = templates.map((t) => t.trim()).filter(Boolean);
  if (ts.length === 0) throw new LabelsError('BAD_LABELS', 'give at least one prompt template');
  const bad = ts.find((t) => !t.includes('{label}') && !t.includes('{}'));
  if (bad !== undefined) throw new LabelsError('BAD_LABELS', `template "${bad}" has no {label} placeholder`);
  return { labels: out, templates: ts };
}

/** "cat, dog ,, red car" → ["cat", "dog", "red car"] (the CLI's --labels). */
export function splitLabels(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function fillTemplate(template: string, label: string): string {
  return template.replaceAll('{label}', label).replaceAll('{}', label);
}

/** Prompts label-major: label i, template j is row i · T + j. */
export function promptsFor(set: LabelSet): string[] {
  return set.labels.flatMap((l) => set.templates.map((t) => fillTemplate(t, l)));
}

/** Normalises each row of [rows, dim] to unit length (in place; returns it). */
export function l2NormalizeRows(m: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < m.length / dim; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += m[r * dim + k]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) m[r * dim + k]! *= inv;
  }
  return m;
}

/**
 * Per-label text embeddings from per-prompt ones (label-major, T templates each): each prompt
 * normalised, averaged over the templates, normalised again (CLIP's prompt ensembling).
 */
export function labelEmbeddings(promptEmbeds: Float32Array, dim: number, templates: number): Float32Array {
  const n = promptEmbeds.length / dim;
  if (n % templates !== 0) throw new Error(`labelEmbeddings: ${n} prompts is not a multiple of ${templates} templates`);
  const normed = l2NormalizeRows(promptEmbeds.slice(), dim);
  if (templates === 1) return normed;
  const out = new Float32Array((n / templates) * dim);
  for (let l = 0; l < n / templates; l++) {
    for (let t = 0; t < templates; t++) for (let k = 0; k < dim; k++) out[l * dim + k]! += normed[(l * templates + t) * dim + k]!;
  }
  return l2NormalizeRows(out, dim);
}

/** Mean of unit embeddings, renormalised: one track's image embedding from several crops. */
export function meanEmbedding(rows: Float32Array, dim: number): Float32Array {
  const normed = l2NormalizeRows(rows.slice(), dim);
  const out = new Float32Array(dim);
  const n = rows.length / dim;
  for (let r = 0; r < n; r++) for (let k = 0; k < dim; k++) out[k]! += normed[r * dim + k]!;
  return l2NormalizeRows(out, dim);
}

/**
 * softmax(scale · cos) over labels for each image: images [N, dim] and labels [L, dim] both unit
 * length. Accumulated in double precision, returned as float32 [N, L].
 */
export function zeroShotProbs(images: Float32Array, labels: Float32Array, dim: number, scale: number): Float32Array {
  const n = images.length / dim;
  const l = labels.length / dim;
  const out = new Float32Array(n * l);
  const logits = new Float64Array(l);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < l; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += images[i * dim + k]! * labels[j * dim + k]!;
      logits[j] = scale * dot;
      max = Math.max(max, logits[j]!);
    }
    let sum = 0;
    for (let j = 0; j < l; j++) sum += logits[j] = Math.exp(logits[j]! - max);
    for (let j = 0; j < l; j++) out[i * l + j] = logits[j]! / sum;
  }
  return out;
}

export interface Ranked {
  label: string;
  probability: number;
}

/** Labels by probability, highest first (ties keep the label set's order). */
export function rankLabels(probs: ArrayLike<number>, labels: readonly string[], k = labels.length): Ranked[] {
  return labels
    .map((label, i) => ({ label, probability: probs[i]!, i }))
    .sort((a, b) => b.probability - a.probability || a.i - b.i)
    .slice(0, k)
    .map(({ label, probability }) => ({ label, probability }));
}
