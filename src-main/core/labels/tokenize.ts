// Prompts → the text tower's input_ids, with @huggingface/tokenizers (the Hugging Face
// tokenizer.json runtime used by transformers.js, pure JS): a hand-written BPE would be a second
// implementation of CLIP's byte-level BPE, its lower-casing and its whitespace/Unicode
// normalisation to keep right; the library reproduces every token check of the fixture exactly.
import { Tokenizer } from '@huggingface/tokenizers';
import { LabelsError } from './errors';

export interface TokenBatch {
  /** [rows, length] row-major, padded on the right with the pad id */
  ids: BigInt64Array;
  /** 1 for tokens, 0 for padding (fed only to graphs that take an attention_mask input) */
  mask: BigInt64Array;
  rows: number;
  length: number;
}

export class ClipTokenizer {
  private constructor(
    private readonly tok: Tokenizer,
    readonly padId: number,
    readonly eosId: number,
    readonly maxLength: number,
  ) {}

  static load(tokenizerJson: object, tokenizerConfig: object): ClipTokenizer {
    let tok: Tokenizer;
    try {
      tok = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new LabelsError('CLIP_TOKENIZER', `tokenizer.json could not be loaded: ${(e as Error).message}`, { file: 'tokenizer.json' });
    }
    const cfg = tokenizerConfig as Record<string, unknown>;
    const tokenName = (v: unknown): string | undefined =>
      typeof v === 'string'
        ? v
        : v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string'
          ? (v as { content: string }).content
          : undefined;
    const eosName = tokenName(cfg.eos_token) ?? '<|endoftext|>';
    const padName = tokenName(cfg.pad_token) ?? eosName;
    const eosId = tok.token_to_id(eosName);
    const padId = tok.token_to_id(padName);
    if (eosId === undefined || padId === undefined) {
      throw new LabelsError('CLIP_TOKENIZER', `tokenizer.json has no ${eosId === undefined ? eosName : padName} token`, { file: 'tokenizer.json' });
    }
    const max = cfg.model_max_length;
    const maxLength = typeof max === 'number' && Number.isInteger(max) && max > 1 && max <= 4096 ? max : 77;
    const t = new ClipTokenizer(tok, padId, eosId, maxLength);
    // a tokenizer.json that parses but cannot encode is refused here, not on first use
    try {
      const probe = t.encode('a photo of a cat.');
      if (probe.length < 2 || probe[probe.length - 1] !== eosId) throw new Error(`"a photo of a cat." does not end with ${eosName}`);
    } catch (e) {
      if (e instanceof LabelsError) throw e;
      throw new LabelsError('CLIP_TOKENIZER', `tokenizer.json does not tokenize like CLIP's: ${(e as Error).message}`, { file: 'tokenizer.json' });
    }
    return t;
  }

  /** Token ids with BOS/EOS, truncated to the model's maximum length (EOS kept last, as transformers does). */
  encode(text: string): number[] {
    const ids = this.tok.encode(text, { add_special_tokens: true }).ids;
    if (ids.length <= this.maxLength) return ids;
    return [...ids.slice(0, this.maxLength - 1), ids[ids.length - 1]!];
  }

  /** A batch padded to its longest prompt. The text tower pools at the first EOS, so padding does not change the embeddings. */
  batch(texts: readonly string[]): TokenBatch {
    const rows = texts.map((t) => this.encode(t));
    const length = Math.max(1, ...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * length).fill(BigInt(this.padId));
    const mask = new BigInt64Array(rows.length * length);
    rows.forEach((r, i) => {
      for (let k = 0; k < r.length; k++) {
        ids[i * length + k] = BigInt(r[k]!);
        mask[i * length + k] = 1n;
      }
    });
    return { ids, mask, rows: rows.length, length };
  }
}
