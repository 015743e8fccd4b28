// The decisions of an import, pure and table-tested: which project object each annotated object
// becomes, and which of its frames are kept.
import type { ObjectInfo } from '../../api/contract';
import { ImportError, type FramePick, type SourceObject } from './types';

export type ObjectTarget = { kind: 'existing'; id: number } | { kind: 'new'; name: string | undefined; label: string };

/**
 * By id onto the live object with that id, else by name onto the object of that name, else a
 * new object (named as the source names it; its category is its label). A locked target is
 * refused: locked objects take no edits.
 */
export function mapObjects(sources: readonly SourceObject[], existing: readonly ObjectInfo[]): Map<string, ObjectTarget> {
  const out = new Map<string, ObjectTarget>();
  for (const s of sources) {
    const hit = (s.id !== null ? existing.find((o) => o.id === s.id) : undefined) ?? (s.name !== null ? existing.find((o) => o.name === s.name) : undefined);
    if (hit?.locked) throw new ImportError('LOCKED', `${hit.name} is locked: unlock it to import masks into it.`);
    out.set(s.key, hit ? { kind: 'existing', id: hit.id } : { kind: 'new', name: s.name ?? undefined, label: s.label ?? '' });
  }
  return out;
}

/** The frames kept of one object's imported frames (ascending): all, its first, or every Nth from its first. */
export function pickFrames(frames: readonly number[], pick: FramePick): number[] {
  if (pick === 'all') return [...frames];
  if (pick === 'first') return frames.slice(0, 1);
  if (!Number.isInteger(pick.every) || pick.every < 1) throw new ImportError('IMPORT_BAD_INPUT', `every must be a positive whole number, got ${pick.every}`);
  return frames.filter((_, i) => i % pick.every === 0);
}
