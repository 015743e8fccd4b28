// Which pack the engine uses, and the EngineStatus shapes. Pure, table-tested.
import type { EngineStatus, ModelPackInfo } from '../api/contract';

export type PackChoice = { pack: ModelPackInfo } | { pack: null; reason: string };

/**
 * The preferred pack (chosen by the user, or remembered by the project) when it is installed and
 * usable, else the first verified pack, else the first pack without a problem, else none.
 */
export function choosePack(packs: readonly ModelPackInfo[], preferred: string | null): PackChoice {
  const usable = packs.filter((p) => p.problem === null);
  const wanted = preferred ? usable.find((p) => p.id === preferred) : undefined;
  const pack = wanted ?? usable.find((p) => p.verified) ?? usable[0];
  if (pack) return { pack };
  if (packs.length === 0) return { pack: null, reason: NO_PACK_HELP };
  return { pack: null, reason: `No usable model pack: ${packs.map((p) => `${p.id}: ${p.problem}`).join('; ')}. ${NO_PACK_HELP}` };
}

export const NO_PACK_HELP =
  'No model pack is installed. Import a pack folder (Models › Add model › Import folder), download one from the catalog, ' +
  'or export one from Meta’s weights with models/export/export_sam2.py (see docs/models.md).';

export function statusNone(reason: string | null): EngineStatus {
  return { state: 'none', pack: null, providers: {}, loadMs: 0, threads: 0, error: reason };
}

export function statusLoading(pack: ModelPackInfo | null): EngineStatus {
  return { state: 'loading', pack, providers: {}, loadMs: 0, threads: 0, error: null };
}
