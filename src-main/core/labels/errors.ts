// Errors of the zero-shot labeller (CLIP folder, tokenizer, sessions, label sets). Each carries a
// stable code for callers and a message that names the file or argument and what is wrong.
import { CodedError } from '../../api/errors';
export type LabelsErrorCode =
  /** a required file of the CLIP folder is missing */
  | 'CLIP_FILE_MISSING'
  /** config.json / preprocessor_config.json / tokenizer.json unreadable or not what CLIP needs */
  | 'CLIP_CONFIG'
  | 'CLIP_TOKENIZER'
  /** a graph's inputs/outputs are not the CLIP towers' */
  | 'CLIP_SIGNATURE'
  /** the two towers' embedding sizes differ */
  | 'CLIP_EMBED_MISMATCH'
  | 'CLIP_VARIANT'
  | 'CLIP_GRAPH_LOAD'
  | 'BAD_LABELS'
  | 'BAD_CROP'
  | 'CANCELLED';

export class LabelsError extends CodedError<LabelsErrorCode, { file?: string }> {
  declare readonly details: { file?: string };
  constructor(code: LabelsErrorCode, message: string, details: { file?: string } = {}) {
    super(code, message, details);
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new LabelsError('CANCELLED', `${what} was cancelled`);
}
