// Catalog entries written in the tests, pointing at the local pack server.
import { parseCatalog, type CatalogEntry } from '../../../../src-main/core/models/catalog';
import { sha256 } from './fixture-pack';

export interface EntryOptions {
  id?: string;
  /** route per file (default: mode for all) */
  modes?: Record<string, string>;
  /** files to leave out of the entry */
  omit?: string[];
  /** catalog values that differ from the served bytes */
  sha256?: Record<string, string>;
  formatVersion?: number;
}

/** A catalog entry (through the real parser) for `files` as served under `${base}/${mode}/`. */
export function entryFor(base: string, mode: string, files: Map<string, Buffer>, o: EntryOptions = {}): CatalogEntry {
  const list = [...files.entries()]
    .filter(([name]) => !o.omit?.includes(name))
    .map(([name, buf]) => ({
      name,
      url: `${base}/${o.modes?.[name] ?? mode}/${name}`,
      bytes: buf.length,
      sha256: o.sha256?.[name] ?? sha256(buf),
    }));
  const doc = {
    catalog_version: 1,
    entries: [
      {
        id: o.id ?? 'micro-test',
        name: 'Micro test pack',
        source: 'test',
        description: 'served by the test',
        format_version: o.formatVersion ?? 1,
        files: list,
      },
    ],
  };
  return parseCatalog(doc, 'test catalog')[0]!;
}
