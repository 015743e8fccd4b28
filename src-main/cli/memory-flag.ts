// The --memory flag shared by the commands that open the engine (core/sam2/memory-mode.ts).
import { UsageError, type FlagSpec } from './args';
import { isMemoryChoice, MEMORY_MODES, type MemoryChoice } from '../core/sam2/memory-mode';

export const memoryFlagSpec: FlagSpec = {
  type: 'string',
  help: `${MEMORY_MODES.join('|')} (default: auto — fast where the machine has memory to spare, lean otherwise; lean gives activations back after every run and keeps smaller caches, slower on the CPU; on Linux an explicit lean starts the command again with glibc's malloc set to return freed memory)`,
};

export function memoryFlag(v: unknown): MemoryChoice {
  const m = v ?? 'auto';
  if (!isMemoryChoice(m)) throw new UsageError(`--memory must be ${MEMORY_MODES.join(', ')} or auto, got ${String(m)}`);
  return m;
}
