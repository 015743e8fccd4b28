// Folder names of installed packs: derived from model.json, safe on every filesystem, unique.
// Pure functions, table-tested.

const MAX_ID = 64;

/** Lower-case letters, digits, '.', '-'; no leading/trailing separators; never empty. */
export function sanitizeId(raw: string): string {
  const id = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_ID)
    .replace(/[-.]+$/g, '');
  return id || 'model-pack';
}

/** Whether a string is already a valid pack id (what the catalog must use). */
export function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID && sanitizeId(id) === id;
}

/**
 * The id an imported pack gets: the repository part of a Hub-style source
 * ("facebook/sam2.1-hiera-tiny" -> "sam2.1-hiera-tiny"), else the pack's name, else the folder's
 * name; "-fp16" is added for float16 exports so they sit next to the float32 pack.
 */
export function packIdFromManifest(raw: { name?: unknown; source?: unknown; exporter?: unknown }, folderName: string): string {
  const source = typeof raw.source === 'string' ? raw.source.trim() : '';
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  const hub = /^[\w.-]+\/([\w.-]+)$/.exec(source);
  let id = sanitizeId(hub ? hub[1]! : name || folderName);
  const precision = (raw.exporter as { precision?: unknown } | undefined)?.precision;
  if (precision === 'fp16' && !id.endsWith('fp16')) id = sanitizeId(`${id}-fp16`);
  return id;
}

/** `base`, or `base-2`, `base-3`, ... : the first that is not taken. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_ID - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
