// What the two CLIP towers must look like, checked on the metadata onnxruntime reports. Pure, so
// the importer's refusals are table-tested. Outputs are found by name, never by position: exports
// differ in whether they also output last_hidden_state, and the text tower may or may not take an
// attention_mask.
import { LabelsError } from './errors';

export interface TensorMeta {
  name: string;
  isTensor?: boolean;
  type?: string;
  shape?: (number | string)[];
}

export interface TowerIo {
  /** pixel_values or input_ids */
  input: string;
  inputType: 'float32' | 'float16' | 'int64' | 'int32';
  /** text tower only: feed the padding mask under this name */
  attentionMask: string | null;
  output: string;
  outputType: 'float32' | 'float16';
  /** the embedding width when the graph declares it, else null (measured on load) */
  dim: number | null;
}

const SPEC = {
  vision: { input: 'pixel_values', types: ['float32', 'float16'], output: 'image_embeds' },
  text: { input: 'input_ids', types: ['int64', 'int32'], output: 'text_embeds' },
} as const;

export function checkTower(tower: 'vision' | 'text', file: string, inputs: readonly TensorMeta[], outputs: readonly TensorMeta[]): TowerIo {
  const s = SPEC[tower];
  const fail = (why: string) => new LabelsError('CLIP_SIGNATURE', `${file} is not a CLIP ${tower} tower: ${why}`, { file });
  const input = inputs.find((i) => i.name === s.input);
  if (!input) throw fail(`it has no input "${s.input}" (inputs: ${inputs.map((i) => i.name).join(', ') || 'none'})`);
  if (!(s.types as readonly string[]).includes(input.type ?? '')) throw fail(`input ${s.input} is ${input.type}, expected ${s.types.join(' or ')}`);
  const rank = tower === 'vision' ? 4 : 2;
  if (input.shape && input.shape.length !== rank) throw fail(`input ${s.input} has rank ${input.shape.length}, expected ${rank}`);
  if (tower === 'vision' && input.shape && typeof input.shape[1] === 'number' && input.shape[1] !== 3)
    throw fail(`input pixel_values has ${input.shape[1]} channels, expected 3`);
  let attentionMask: string | null = null;
  for (const i of inputs) {
    if (i.name === s.input) continue;
    if (tower === 'text' && i.name === 'attention_mask') {
      attentionMask = i.name;
      continue;
    }
    throw fail(`unexpected input "${i.name}"`);
  }
  const output = outputs.find((o) => o.name === s.output);
  if (!output) throw fail(`it has no output "${s.output}" (outputs: ${outputs.map((o) => o.name).join(', ') || 'none'})`);
  if (output.type !== 'float32' && output.type !== 'float16') throw fail(`output ${s.output} is ${output.type}, expected float32 or float16`);
  if (output.shape && output.shape.length !== 2) throw fail(`output ${s.output} has rank ${output.shape.length}, expected 2`);
  const last = output.shape?.[1];
  return {
    input: s.input,
    inputType: input.type as TowerIo['inputType'],
    attentionMask,
    output: s.output,
    outputType: output.type,
    dim: typeof last === 'number' ? last : null,
  };
}
