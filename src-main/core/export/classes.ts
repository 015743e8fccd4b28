// Which class number each object's label becomes in each format. One table per export, built
// from every object of the project (not only the exported ones) so numbers stay the same when
// a user exports different subsets of the same project. A project's label set (docs/labels.md)
// comes first, in its order and whether used or not, so class numbers follow the label set the
// user defined; "object" (unlabelled) and labels outside the set follow by lowest object id.

export interface LabeledObject {
  id: number;
  label: string;
}

/** What an unlabeled object is called in category lists. */
export const DEFAULT_LABEL = 'object';

export function normalizeLabel(label: string): string {
  const t = label.trim();
  return t === '' ? DEFAULT_LABEL : t;
}

export interface ClassTable {
  /** the label set's labels, then other labels in order of the lowest object id carrying each: YOLO class i = names[i], COCO category id = i + 1 */
  names: string[];
  /** object id → index into names */
  classOf: Map<number, number>;
}

export function buildClassTable(objects: readonly LabeledObject[], labelSet: readonly string[] = []): ClassTable {
  const names: string[] = [];
  for (const l of labelSet) {
    const t = l.trim();
    if (t && !names.includes(t)) names.push(t);
  }
  const classOf = new Map<number, number>();
  for (const o of [...objects].sort((a, b) => a.id - b.id)) {
    const name = normalizeLabel(o.label);
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    classOf.set(o.id, i);
  }
  return { names, classOf };
}

// MOTS ids are class_id * 1000 + instance; the benchmark's own classes keep their numbers
// (1 car, 2 pedestrian) and 10 is its ignore-region marker, so it is never handed out.
const MOTS_FIXED: Record<string, number> = { car: 1, pedestrian: 2, person: 2 };
const MOTS_IGNORE_CLASS = 10;
const MOTS_MAX_INSTANCES = 999;

export interface MotsIds {
  /** MOTS class id per label name (the table written to mots-classes.txt) */
  classIds: Map<string, number>;
  /** object id → { classId, trackId = classId * 1000 + instance } */
  byObject: Map<number, { classId: number; trackId: number }>;
}

export function buildMotsIds(objects: readonly LabeledObject[], labelSet: readonly string[] = []): MotsIds {
  const table = buildClassTable(objects, labelSet);
  const classIds = new Map<string, number>();
  let next = 3;
  for (const name of table.names) {
    const fixed = MOTS_FIXED[name.toLowerCase()];
    if (fixed !== undefined) {
      classIds.set(name, fixed);
      continue;
    }
    if (next === MOTS_IGNORE_CLASS) next++;
    classIds.set(name, next++);
  }
  const instances = new Map<number, number>();
  const byObject = new Map<number, { classId: number; trackId: number }>();
  for (const o of [...objects].sort((a, b) => a.id - b.id)) {
    const name = table.names[table.classOf.get(o.id)!]!;
    const classId = classIds.get(name)!;
    const instance = (instances.get(classId) ?? 0) + 1;
    if (instance > MOTS_MAX_INSTANCES) {
      throw new Error(`MOTS ids allow ${MOTS_MAX_INSTANCES} objects per class; label "${name}" has more`);
    }
    instances.set(classId, instance);
    byObject.set(o.id, { classId, trackId: classId * 1000 + instance });
  }
  return { classIds, byObject };
}
