// Segment everything's decisions, pure and table-tested: which proposals a segment.keep names
// (every id must be one of the frame's proposals, once), what is left of the frame's list after
// a keep, and the job's label.
import type { Proposal, SegmentEverythingRequest } from '../../api/contract';
import { ApiCallError } from '../../api/errors';

/** The proposals `ids` names, in the order given (the new objects are made in that order). */
export function pickProposals(list: readonly Proposal[], ids: readonly number[], frame: number): Proposal[] {
  if (ids.length === 0) throw new ApiCallError('BAD_ARGS', 'args.proposalIds must name at least one proposal', { field: 'args.proposalIds' });
  if (list.length === 0) {
    throw new ApiCallError('NO_PROPOSALS', `Frame ${frame} has no proposals: run Segment everything on it first.`, { frame });
  }
  const byId = new Map(list.map((p) => [p.id, p]));
  const seen = new Set<number>();
  return ids.map((id, i) => {
    const field = `args.proposalIds[${i}]`;
    if (seen.has(id)) throw new ApiCallError('BAD_ARGS', `${field} names proposal ${id} a second time`, { field });
    seen.add(id);
    const p = byId.get(id);
    if (!p) throw new ApiCallError('BAD_ARGS', `${field}: frame ${frame} has no proposal ${id} (it has ${describeIds(list)})`, { field });
    return p;
  });
}

/** The frame's list after a keep: the kept proposals leave it, the others keep their ids. */
export function withoutProposals(list: readonly Proposal[], ids: readonly number[]): Proposal[] {
  const gone = new Set(ids);
  return list.filter((p) => !gone.has(p.id));
}

export function segmentJobLabel(a: SegmentEverythingRequest, defaultPointsPerSide: number): string {
  const n = a.pointsPerSide ?? defaultPointsPerSide;
  return `Segment everything on frame ${a.frame} (${n}×${n} points)`;
}

function describeIds(list: readonly Proposal[]): string {
  const ids = list.map((p) => p.id);
  return ids.length <= 8 ? `ids ${ids.join(', ')}` : `${ids.length} proposals, ids ${ids.slice(0, 6).join(', ')}, …`;
}
