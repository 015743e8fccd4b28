// The catalog entry for a pack folder that is about to be hosted somewhere: sizes and sha256 of
// model.json and of every file it lists, with URLs under a base URL. For whoever publishes packs
// (a CLI command can wrap it); the app itself only reads catalogs.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ModelsError } from './errors';
import { packIdFromManifest } from './ids';

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface CatalogEntryOptions {
  /** where the files will be served: `<baseUrl>/<file name>` */
  baseUrl: string;
  id?: string;
  description?: string;
}

/** A JSON entry for catalog.json's "entries" list (format in docs/models.md). */
export async function makeCatalogEntry(packDir: string, o: CatalogEntryOptions): Promise<Record<string, unknown>> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(join(packDir, 'model.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ModelsError('IMPORT_SOURCE', `${packDir}: cannot read model.json: ${(e as Error).message}`);
  }
  const listed = raw.files && typeof raw.files === 'object' ? Object.keys(raw.files as object) : [];
  const base = o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`;
  const files = [];
  for (const name of ['model.json', ...listed.filter((n) => n !== 'model.json')]) {
    const path = join(packDir, name);
    files.push({ name, url: new URL(encodeURIComponent(name), base).toString(), bytes: statSync(path).size, sha256: await sha256File(path) });
  }
  return {
    id: o.id ?? packIdFromManifest(raw, basename(packDir)),
    name: typeof raw.name === 'string' ? raw.name : basename(packDir),
    source: typeof raw.source === 'string' ? raw.source : '',
    description: o.description ?? '',
    format_version: raw.format_version,
    size: files.reduce((a, f) => a + f.bytes, 0),
    files,
  };
}
