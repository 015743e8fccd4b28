// Label models in the app (docs/labels.md): the installed CLIP folders, importing one (a job with
// byte progress), which model and variant labelling uses (label-model-choice.ts: the open
// project's choice, remembered in its settings like its SAM pack; else the app's last choice in
// label-models/active.json; else the first usable) and removing one the app installed.
import { basename } from 'node:path';
import type { LabelModelsState, LabelModelSummary, LabelModelVariant } from '../api/contract';
import { ApiCallError } from '../api/errors';
import type { JobRegistry } from '../core/jobs';
import {
  clearActiveLabelModel,
  importLabelModel,
  labelModelsFolder,
  listLabelModels,
  readActiveLabelModel,
  removeLabelModel,
  writeActiveLabelModel,
} from '../core/models';
import { SETTING_KEYS } from '../core/store';
import type { OpenProject } from './current-project';
import { asLabelModelChoice, chooseLabelModel, type LabelModelChoice } from './label-model-choice';

export interface LabelModelServiceDeps {
  jobs: JobRegistry;
  dataDir: string;
  project(): OpenProject | null;
  /** the model is about to be removed: let go of its files (the labels worker closes it) */
  release(id: string): Promise<void>;
}

export class LabelModelService {
  constructor(private readonly d: LabelModelServiceDeps) {}

  get folder(): string {
    return labelModelsFolder(this.d.dataDir);
  }

  list(): LabelModelSummary[] {
    return listLabelModels(this.folder);
  }

  async state(): Promise<LabelModelsState> {
    const models = this.list();
    return { models, active: await this.choose(models) };
  }

  /** The model and variant labelling uses now (null: none installed that works). */
  async choose(models = this.list()): Promise<LabelModelChoice | null> {
    const remembered = asLabelModelChoice(this.d.project()?.store.settings.get(SETTING_KEYS.lastLabelModel));
    return chooseLabelModel(models, remembered, await readActiveLabelModel(this.folder));
  }

  async import(dir: string): Promise<LabelModelSummary> {
    const handle = this.d.jobs.create(
      'labels-import',
      `Importing label model · ${basename(dir)}`,
      (ctx) => importLabelModel(dir, { folder: this.folder, signal: ctx.signal, onProgress: (p) => ctx.report(p.bytes, p.total, 'bytes') }),
      { unit: 'bytes', result: (v) => ({ id: v.id, dir: v.dir }) },
    );
    const o = await handle.outcome;
    if (o.state === 'cancelled') throw new ApiCallError('CANCELLED', `The import of ${dir} was cancelled.`);
    if (o.state === 'failed') throw new ApiCallError(o.error.code, o.error.message, o.error.details);
    // the first label model becomes the app's choice
    if (!(await readActiveLabelModel(this.folder))) await writeActiveLabelModel(this.folder, { id: o.value.id, variant: o.value.variants[0]! });
    return o.value;
  }

  /** The user's choice: the app's default from now on, and the open project's (remembered in it). */
  async select(id: string, variant: LabelModelVariant): Promise<LabelModelsState> {
    const m = this.list().find((x) => x.id === id);
    if (!m) throw new ApiCallError('LABEL_MODEL_NOT_FOUND', `There is no label model "${id}".`, { id });
    if (m.problem) throw new ApiCallError('LABEL_MODEL_INVALID', `The label model ${id} cannot be used: ${m.problem}`, { id });
    if (!m.variants.includes(variant)) throw new ApiCallError('BAD_ARGS', `The label model ${id} has no ${variant} variant (it has ${m.variants.join(', ')}).`);
    await writeActiveLabelModel(this.folder, { id, variant });
    const store = this.d.project()?.store;
    if (store && !store.readOnly) store.settings.set(SETTING_KEYS.lastLabelModel, { id, variant });
    return this.state();
  }

  /** Deletes a model the app imported; the app's choice moves on to what remains. */
  async remove(id: string): Promise<LabelModelsState> {
    if (!this.list().some((m) => m.id === id)) throw new ApiCallError('LABEL_MODEL_NOT_FOUND', `There is no label model "${id}".`, { id });
    await this.d.release(id);
    try {
      await removeLabelModel(this.folder, id);
    } catch (e) {
      const err = e as { code?: string; message?: string; details?: unknown };
      throw new ApiCallError(err.code ?? 'INTERNAL', err.message ?? String(e), err.details);
    }
    const app = await readActiveLabelModel(this.folder);
    if (app?.id === id) {
      const next = chooseLabelModel(this.list(), null, null);
      if (next) await writeActiveLabelModel(this.folder, next);
      else await clearActiveLabelModel(this.folder);
    }
    return this.state();
  }
}
