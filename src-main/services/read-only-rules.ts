// A project opened read-only (its folder or the data dir cannot be written) is for viewing and
// export. Calls that would change it are refused up front with READ_ONLY, rather than failing
// half-way at the first write. Everything else (reading masks, exporting, jobs, models) runs.
import type { MethodName } from '../api/contract';
import { ApiCallError } from '../api/errors';

/** Methods that write the open project (its database or its engine state). */
const EDITS: ReadonlySet<MethodName> = new Set<MethodName>([
  'project.relocateVideo',
  'objects.add',
  'objects.update',
  'objects.remove',
  'prompts.add',
  'prompts.chooseCandidate',
  'prompts.addMask',
  'prompts.clearFrame',
  'history.undo',
  'history.redo',
  'track.propagate',
  'track.repropagateFrom',
  'annotations.import',
  'segment.everything',
  'segment.keep',
  'labels.setSet',
  'labels.setCrop',
  'labels.labelAll',
  'labels.keepLabel',
]);

export function editsProject(method: MethodName): boolean {
  return EDITS.has(method);
}

export function readOnlyError(dir: string, method: MethodName): ApiCallError {
  return new ApiCallError(
    'READ_ONLY',
    `${dir} is open read-only (it cannot be written here): ${method} would change it. View and export work; to edit, make the folder writable (or copy the project somewhere writable) and open it again.`,
    { dir, method },
  );
}
