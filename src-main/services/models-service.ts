// models.*: installed packs, the catalog, choosing the engine's pack, and installing packs by
// import or download as jobs with byte progress (core/models does the work, docs/models.md).
import { basename, delimiter } from 'node:path';
import type { CatalogEntrySummary, EngineStatus, ModelFamilyId, ModelPackInfo } from '../api/contract';
import { ApiCallError } from '../api/errors';
import type { JobRegistry } from '../core/jobs';
import { catalogSummary, downloadPack, familySwitchNotice, findEntry, importPack, installFolder, loadCatalogs, type CatalogEntry } from '../core/models';
import { catalogPaths } from './install-locations';
import type { EngineManager } from './engine-manager';

export interface ModelsServiceDeps {
  engine: EngineManager;
  jobs: JobRegistry;
  dataDir: string;
  repoRoot: string | null;
  env: Record<string, string | undefined>;
  /** the user chose a pack: remember it (and its family) in the open project */
  remember(packId: string, family: ModelFamilyId | null): void;
  /** the family whose memories the open project's work holds (null: no project, or nothing prompted yet) */
  projectFamily(): ModelFamilyId | null;
}

export class ModelsService {
  constructor(private readonly d: ModelsServiceDeps) {}

  list(): Promise<ModelPackInfo[]> {
    return this.d.engine.packs();
  }

  catalog(): CatalogEntrySummary[] {
    return catalogSummary(this.entries());
  }

  /** Makes the pack the engine's (and the open project's); answers the engine's status once it loaded. */
  async select(id: string, confirmFamilySwitch = false): Promise<EngineStatus> {
    const packs = await this.d.engine.packs();
    const pack = packs.find((p) => p.id === id);
    if (!pack)
      throw new ApiCallError('PACK_NOT_FOUND', `There is no installed model pack "${id}" (installed: ${packs.map((p) => p.id).join(', ') || 'none'}).`, { id });
    if (pack.problem) throw new ApiCallError('PACK_INVALID', `The model pack ${id} cannot be used: ${pack.problem}`, { id });
    // another family cannot use the project's memories: say what switching does before doing it
    const from = this.d.projectFamily();
    const notice = from && pack.family && !confirmFamilySwitch ? familySwitchNotice(from, pack.family.id) : null;
    if (notice) throw new ApiCallError('FAMILY_SWITCH', notice, { id, from, to: pack.family!.id });
    this.d.remember(id, pack.family?.id ?? null);
    await this.d.engine.select(id);
    return this.d.engine.status();
  }

  /** Copies a pack folder into the models folder (a job, so its progress shows); answers the installed pack. */
  async import(dir: string): Promise<ModelPackInfo> {
    const handle = this.d.jobs.create(
      'models-import',
      `Importing model pack · ${basename(dir)}`,
      (ctx) => importPack(dir, { modelsDir: installFolder(this.d.dataDir), signal: ctx.signal, onProgress: (p) => ctx.report(p.bytes, p.total, 'bytes') }),
      { unit: 'bytes', result: (v) => ({ id: v.id, dir: v.dir, alreadyInstalled: v.alreadyInstalled }) },
    );
    const o = await handle.outcome;
    if (o.state === 'cancelled') throw new ApiCallError('CANCELLED', `The import of ${dir} was cancelled.`);
    if (o.state === 'failed') throw new ApiCallError(o.error.code, o.error.message, o.error.details);
    await this.d.engine.reload();
    const installed = (await this.d.engine.packs()).find((p) => p.dir === o.value.dir);
    if (!installed) throw new ApiCallError('INSTALL', `The pack was imported to ${o.value.dir} but is not listed there.`);
    return installed;
  }

  /** Downloads a catalog entry as a job (resumable, see docs/models.md); the engine picks it up when done. */
  download(catalogId: string): { jobId: string } {
    const entry = findEntry(this.entries(), catalogId);
    if (!entry.available) throw new ApiCallError('PACK_UNAVAILABLE', `${entry.name} cannot be downloaded: ${entry.reason}`, { id: entry.id });
    const handle = this.d.jobs.create(
      'models-download',
      `Downloading ${entry.name}`,
      async (ctx) => {
        const r = await downloadPack(entry, {
          modelsDir: installFolder(this.d.dataDir),
          signal: ctx.signal,
          onProgress: (p) => ctx.report(p.bytes, p.total, 'bytes'),
        });
        await this.d.engine.reload();
        return r;
      },
      { unit: 'bytes', total: entry.size ?? 0, result: (v) => ({ id: v.id, dir: v.dir }) },
    );
    return { jobId: handle.id };
  }

  private entries(): CatalogEntry[] {
    return loadCatalogs(catalogPaths(this.d.repoRoot, this.d.env, delimiter));
  }
}
