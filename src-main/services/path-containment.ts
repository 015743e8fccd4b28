// Path containment, shared by every check that turns a request into a file path.
import { isAbsolute, relative, sep } from 'node:path';

/** True when `child` is `root` itself or lies below it (both absolute and normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!isAbsolute(rel) && !rel.split(sep).includes('..'));
}
