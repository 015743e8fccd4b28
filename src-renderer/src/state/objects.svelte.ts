// The project's objects (from ProjectState) and which one is selected. Edits go to the
// services first; the answer replaces the local copy, so the list never shows something
// the project does not hold.
import type { MasklineApi, ObjectInfo } from '$api/contract';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { ProjectSession } from './project.svelte';

export type ObjectPatch = { name?: string; color?: string; label?: string; hidden?: boolean; locked?: boolean };

export class ObjectsState {
  #selectedId = $state<number | null>(null);

  list = $derived.by<ObjectInfo[]>(() => this.project.state?.objects ?? []);
  /** the selection, falling back to the first object when the selected one went away */
  selected = $derived<ObjectInfo | null>(this.list.find((o) => o.id === this.#selectedId) ?? this.list[0] ?? null);
  selectedId = $derived(this.selected?.id ?? null);

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'project' | 'errors'>,
    private readonly hooks: {
      /** called after an object is removed (its masks leave the cache) */
      onRemoved: (id: number) => void;
    },
  ) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get project(): ProjectSession {
    return this.ctx.project;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  byId(id: number): ObjectInfo | undefined {
    return this.list.find((o) => o.id === id);
  }

  select(id: number): void {
    this.#selectedId = id;
  }

  /** Keys 1–9. */
  selectIndex(i: number): void {
    const o = this.list[i];
    if (o) this.#selectedId = o.id;
  }

  async add(): Promise<ObjectInfo | null> {
    try {
      const o = await this.api.call('objects.add', {});
      const p = this.project.state;
      if (p && !p.objects.some((x) => x.id === o.id)) p.objects.push(o);
      this.#selectedId = o.id;
      return o;
    } catch (err) {
      this.errors.push(err, 'Adding an object');
      return null;
    }
  }

  async update(id: number, patch: ObjectPatch): Promise<void> {
    try {
      const o = await this.api.call('objects.update', { id, ...patch });
      this.#replace(o);
    } catch (err) {
      this.errors.push(err, `Changing ${this.byId(id)?.name ?? `object ${id}`}`);
    }
  }

  async remove(id: number): Promise<void> {
    const name = this.byId(id)?.name ?? `object ${id}`;
    try {
      await this.api.call('objects.remove', { id });
      const p = this.project.state;
      if (p) {
        p.objects = p.objects.filter((o) => o.id !== id);
        p.prompts = p.prompts.filter((x) => x.objectId !== id);
        p.tracks = p.tracks.filter((t) => t.objectId !== id);
      }
      this.hooks.onRemoved(id);
    } catch (err) {
      this.errors.push(err, `Deleting ${name}`);
    }
  }

  #replace(o: ObjectInfo): void {
    const p = this.project.state;
    if (!p) return;
    const i = p.objects.findIndex((x) => x.id === o.id);
    if (i >= 0) p.objects[i] = o;
  }
}
