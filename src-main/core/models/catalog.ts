// The catalog of downloadable packs (models/catalog.json and any catalogs named in
// MASKLINE_CATALOG). Format in docs/models.md. Parsing is a pure function with table tests.
import { readFileSync } from 'node:fs';
import { ModelsError } from './errors';
import { isValidId } from './ids';
import { PACK_FORMAT_VERSION } from '../sam2/manifest';
import type { CatalogEntrySummary } from '../../api/contract';

export const CATALOG_VERSION = 1;

export interface CatalogFile {
  name: string;
  /** absolute http(s) URL (relative URLs in the file are resolved against base_url) */
  url: string;
  bytes: number;
  sha256: string;
}

export interface CatalogEntry {
  id: string;
  name: string;
  source: string;
  description: string;
  formatVersion: number;
  /** total bytes of `files` (null only for entries that are not available) */
  size: number | null;
  files: CatalogFile[];
  available: boolean;
  /** why the entry cannot be downloaded (unavailable entries, or a format this app cannot read) */
  reason: string | null;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function resolveUrl(raw: string, base: string | null, fail: (m: string) => never): string {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    fail(`url ${JSON.stringify(raw)} is not a valid URL${base ? ` (relative to ${base})` : ' (relative URLs need "base_url")'}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`url ${JSON.stringify(raw)} must be http or https`);
  return url.toString();
}

function parseFile(f: unknown, where: string, base: string | null): CatalogFile {
  const fail = (m: string): never => {
    throw new ModelsError('CATALOG_INVALID', `${where}: ${m}`);
  };
  if (!isObj(f)) fail('must be an object');
  const { name, url, bytes, sha256 } = f as Json;
  if (typeof name !== 'string' || !name || /[/\\]/.test(name) || name.startsWith('.')) fail(`name must be a plain file name, got ${JSON.stringify(name)}`);
  if (typeof url !== 'string' || !url) fail('url must be a string');
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) fail(`bytes must be a positive integer, got ${JSON.stringify(bytes)}`);
  if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) fail('sha256 must be 64 hex digits');
  return { name: name as string, url: resolveUrl(url as string, base, fail), bytes: bytes as number, sha256: (sha256 as string).toLowerCase() };
}

function parseEntry(e: unknown, where: string, catalogBase: string | null): CatalogEntry {
  const fail = (m: string): never => {
    throw new ModelsError('CATALOG_INVALID', `${where}: ${m}`);
  };
  if (!isObj(e)) fail('must be an object');
  const j = e as Json;
  if (typeof j.id !== 'string' || !isValidId(j.id)) fail(`id must be lower-case letters, digits, "." and "-" (max 64), got ${JSON.stringify(j.id)}`);
  const id = j.id as string;
  const at = `${where} ("${id}")`;
  const failAt = (m: string): never => {
    throw new ModelsError('CATALOG_INVALID', `${at}: ${m}`);
  };
  if (typeof j.name !== 'string' || !j.name.trim()) failAt('name must be a non-empty string');
  for (const k of ['source', 'description'] as const) if (j[k] !== undefined && typeof j[k] !== 'string') failAt(`${k} must be a string`);
  if (typeof j.format_version !== 'number' || !Number.isInteger(j.format_version)) failAt('format_version must be an integer');
  if (j.available !== undefined && typeof j.available !== 'boolean') failAt('available must be true or false');
  const available = j.available !== false;
  const reason = j.reason === undefined ? null : j.reason;
  if (reason !== null && typeof reason !== 'string') failAt('reason must be a string');
  if (!available && !(reason as string | null)?.trim()) failAt('an entry with "available": false needs a "reason"');
  let base = catalogBase;
  if (j.base_url !== undefined) {
    if (typeof j.base_url !== 'string') failAt('base_url must be a string');
    base = resolveUrl(j.base_url as string, catalogBase, failAt);
  }
  if (!Array.isArray(j.files)) failAt('files must be a list');
  const files = (j.files as unknown[]).map((f, i) => parseFile(f, `${at}: files[${i}]`, base));
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) failAt(`file ${f.name} is listed twice`);
    names.add(f.name);
  }
  const total = files.reduce((a, f) => a + f.bytes, 0);
  if (available) {
    if (!names.has('model.json')) failAt('files must include model.json');
    if (j.size !== undefined && j.size !== total) failAt(`size is ${JSON.stringify(j.size)} but the files add up to ${total} bytes`);
  } else if (j.size !== undefined && j.size !== null && (typeof j.size !== 'number' || j.size < 0)) {
    failAt('size must be a byte count or null');
  }
  let why = available ? null : (reason as string).trim();
  if (available && j.format_version !== PACK_FORMAT_VERSION) {
    why = `pack format version ${j.format_version as number}; this version of Maskline reads version ${PACK_FORMAT_VERSION}`;
  }
  return {
    id,
    name: (j.name as string).trim(),
    source: (j.source as string | undefined) ?? '',
    description: (j.description as string | undefined) ?? '',
    formatVersion: j.format_version as number,
    size: available ? total : typeof j.size === 'number' ? j.size : null,
    files,
    available: available && why === null,
    reason: why,
  };
}

/** Validates a catalog document. `where` names its origin in error messages. */
export function parseCatalog(raw: unknown, where: string): CatalogEntry[] {
  const fail = (m: string): never => {
    throw new ModelsError('CATALOG_INVALID', `${where}: ${m}`);
  };
  if (!isObj(raw)) fail('must be a JSON object');
  const j = raw as Json;
  if (j.catalog_version !== CATALOG_VERSION) fail(`catalog_version is ${JSON.stringify(j.catalog_version)}, this Maskline reads version ${CATALOG_VERSION}`);
  let base: string | null = null;
  if (j.base_url !== undefined) {
    if (typeof j.base_url !== 'string') fail('base_url must be a string');
    base = resolveUrl(j.base_url as string, null, fail);
  }
  if (!Array.isArray(j.entries)) fail('"entries" must be a list');
  const entries = (j.entries as unknown[]).map((e, i) => parseEntry(e, `${where}: entries[${i}]`, base));
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) fail(`id "${e.id}" is used twice`);
    ids.add(e.id);
  }
  return entries;
}

/** Reads and merges catalogs in order; a later catalog's entry replaces an earlier one with the same id. */
export function loadCatalogs(paths: readonly string[]): CatalogEntry[] {
  const byId = new Map<string, CatalogEntry>();
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ModelsError('CATALOG_INVALID', `catalog ${path} cannot be read: ${(e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ModelsError('CATALOG_INVALID', `catalog ${path} is not valid JSON: ${(e as Error).message}`);
    }
    for (const entry of parseCatalog(raw, `catalog ${path}`)) byId.set(entry.id, entry);
  }
  return [...byId.values()];
}

export function findEntry(entries: readonly CatalogEntry[], id: string): CatalogEntry {
  const e = entries.find((x) => x.id === id);
  if (!e) throw new ModelsError('CATALOG_UNKNOWN_ID', `no catalog entry with id "${id}" (known: ${entries.map((x) => x.id).join(', ') || 'none'})`);
  return e;
}

/** The entries as the models screen lists them (the contract's CatalogEntrySummary). */
export function catalogSummary(entries: readonly CatalogEntry[]): CatalogEntrySummary[] {
  return entries.map((e) => ({
    id: e.id,
    name: e.name,
    bytes: e.size ?? 0,
    description: e.description,
    source: e.source,
    available: e.available,
    reason: e.reason,
  }));
}
