// The rest of the workflow API through AppServices: candidates (Tab), mask prompts, clearing a
// frame, frame reads; models.* (list, catalog, select, download as a job with byte progress);
// export.run as a job whose result names the output folder; app.revealPath in both transports.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntrySummary, EngineStatus, FrameMasks, JobSnapshot, MaskCandidates, ModelPackInfo, ProjectState } from '../../src-main/api/contract';
import { makeCatalogEntry } from '../../src-main/core/models/catalog-entry';
import { encodeMask } from '../../src-main/core/masks/rle';
import { AppServices } from '../../src-main/services/app-services';
import { REPO_ROOT } from '../fixtures/sam2-micro/build';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { packBuffers } from '../unit/models/support/fixture-pack';
import { startPackServer, type PackServer } from '../unit/models/support/pack-server';
import { harness, squareAt, W, H } from './workflow-harness';

const h = harness('maskline-workflow-wiring-');
const clip = h.video('clip.mp4', 12);
let server: PackServer;
beforeAll(async () => {
  server = await startPackServer(packBuffers(MICRO_PACK_DIR));
});
afterAll(async () => {
  await server.close();
  h.cleanup();
});

describe('prompt variants', () => {
  it('Tab picks a candidate, a mask can be the prompt, a frame can be cleared; each undoes', async () => {
    const x = h.services('prompts');
    await x.openReady(clip);
    await x.call('objects.add', {});
    const r = await x.call<{ frame: FrameMasks; candidates: MaskCandidates }>('prompts.add', { objectId: 1, frame: 2, points: [squareAt(2)], labels: [1] });
    const other = [0, 1, 2].find((i) => i !== r.candidates.chosen)!;
    const picked = await x.call<FrameMasks>('prompts.chooseCandidate', { objectId: 1, frame: 2, index: other });
    expect(picked.masks[0]!.rle).toEqual(r.candidates.masks[other]);
    expect((await x.call<ProjectState>('project.state')).undoLabel).toBe(`Choose mask ${other + 1} on frame 2`);
    expect(x.s.current!.store.promptCalls.forCell(1, 2).map((c) => c.op)).toEqual(['points', 'candidate']);
    expect((await x.fail('prompts.chooseCandidate', { objectId: 1, frame: 5, index: 0 })).code).toBe('NO_CANDIDATES');

    const painted = new Uint8Array(W * H);
    for (let y = 100; y < 140; y++) for (let xx = 100; xx < 180; xx++) painted[y * W + xx] = 1;
    const m = await x.call<FrameMasks>('prompts.addMask', { objectId: 1, frame: 6, rle: encodeMask(painted, H, W) });
    expect(m.masks[0]).toMatchObject({ objectId: 1, source: 'prompt' });
    let st = await x.call<ProjectState>('project.state');
    expect(st.prompts.find((p) => p.frame === 6)).toMatchObject({ hasMask: true, points: [] });
    expect((await x.fail('prompts.addMask', { objectId: 1, frame: 6, rle: encodeMask(new Uint8Array(4), 2, 2) })).code).toBe('BAD_ARGS');

    const cleared = await x.call<FrameMasks>('prompts.clearFrame', { objectId: 1, frame: 6 });
    expect(cleared.masks).toEqual([]);
    st = await x.call<ProjectState>('project.state');
    expect(st.prompts.map((p) => p.frame)).toEqual([2]);
    expect(st.undoLabel).toBe('Clear prompts on frame 6');
    await x.call('history.undo', {});
    expect((await x.call<FrameMasks>('masks.frame', { frame: 6 })).masks[0]!.rle).toEqual(m.masks[0]!.rle);
    expect((await x.fail('masks.frame', { frame: 12 })).message).toMatch(/past the last frame \(11\)/);
    expect(x.events.some((e) => e.event === 'project.changed' && (e.payload as ProjectState).canUndo)).toBe(true);
    await x.s.shutdown();
  });
});

describe('models', () => {
  it('lists, selects, and downloads a catalog pack as a job with byte progress', async () => {
    const catalog = join(h.root, 'catalog.json');
    const entry = await makeCatalogEntry(MICRO_PACK_DIR, { baseUrl: `${server.base}/ok/`, id: 'micro-hosted' });
    writeFileSync(catalog, JSON.stringify({ catalog_version: 1, entries: [entry] }));
    const x = h.services('models', { env: { MASKLINE_CATALOG: `${join(REPO_ROOT, 'models', 'catalog.json')}:${catalog}` } });
    await x.openReady(clip);
    const packs = await x.call<ModelPackInfo[]>('models.list');
    expect(packs).toEqual([expect.objectContaining({ id: 'sam2-micro', verified: true, problem: null, imageSize: 256 })]);
    const cat = await x.call<CatalogEntrySummary[]>('models.catalog');
    expect(cat.find((c) => c.id === 'sam2.1-hiera-tiny')).toMatchObject({ available: false, reason: expect.stringMatching(/export_sam2\.py/) });
    expect(cat.find((c) => c.id === 'micro-hosted')).toMatchObject({ available: true, reason: null, bytes: entry.size });
    expect((await x.fail('models.download', { catalogId: 'sam2.1-hiera-tiny' })).code).toBe('PACK_UNAVAILABLE');
    expect((await x.fail('models.download', { catalogId: 'nope' })).code).toBe('CATALOG_UNKNOWN_ID');
    expect((await x.fail('models.select', { id: 'nope' })).code).toBe('PACK_NOT_FOUND');

    const { jobId } = await x.call<{ jobId: string }>('models.download', { catalogId: 'micro-hosted' });
    const job = await x.job(jobId);
    expect(job).toMatchObject({ state: 'done', unit: 'bytes', done: entry.size, total: entry.size, result: { id: 'micro-hosted' } });
    expect(existsSync(join(x.dataDir, 'models', 'micro-hosted', 'model.json'))).toBe(true);
    expect((await x.call<ModelPackInfo[]>('models.list')).map((p) => p.id).sort()).toEqual(['micro-hosted', 'sam2-micro']);

    const status = await x.call<EngineStatus>('models.select', { id: 'micro-hosted' });
    expect(status).toMatchObject({ state: 'ready', pack: { id: 'micro-hosted' } });
    expect(x.s.current!.store.settings.get('lastPack')).toBe('micro-hosted');
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect(x.s.current!.store.masks.get(1, 0)!.packId).toBe('micro-hosted');
    await x.s.shutdown();
  });
});

describe('export and reveal', () => {
  it('export.run is a job whose result names the output folder; revealPath answers per transport', async () => {
    const x = h.services('export');
    await x.openReady(clip);
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    const { jobId: p } = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' });
    expect((await x.job(p)).state).toBe('done');
    const outDir = join(h.root, 'export out');
    mkdirSync(outDir);
    const { jobId } = await x.call<{ jobId: string }>('export.run', { formats: ['png', 'coco'], outDir });
    const job: JobSnapshot = await x.job(jobId);
    expect(job).toMatchObject({ kind: 'export', state: 'done', result: { outDir, warnings: [] } });
    // the manifest of what the export wrote sits beside its outputs (docs/export.md)
    expect(readdirSync(outDir).sort()).toEqual(['.maskline-export.json', 'coco.json', 'masks']);

    expect(await x.call('app.revealPath', { path: outDir })).toEqual({ opened: false });
    expect((await x.fail('app.revealPath', { path: join(h.root, 'missing') })).code).toBe('FILE_NOT_FOUND');
    const revealed: string[] = [];
    const electron = new AppServices({
      dataDir: join(h.root, 'electron'),
      transport: 'electron',
      version: '0',
      log: () => {},
      repoRoot: null,
      env: {},
      dialogs: { openVideo: async () => null, chooseFolder: async () => null, revealPath: async (path) => (revealed.push(path), true) },
    });
    expect(await electron.call('app.revealPath', { path: outDir })).toEqual({ ok: true, value: { opened: true } });
    expect(revealed).toEqual([outDir]);
    await electron.shutdown();
    await x.s.shutdown();
  });
});
