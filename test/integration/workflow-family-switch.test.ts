// A project switching model family (issue 17) through AppServices: the models list tells each
// pack's family, what it means and its speed measured here on first use; choosing a pack of the
// other family for a project with work answers FAMILY_SWITCH with what switching does and changes
// nothing; confirmed, the prompts and prompted masks are kept (recomputed by the new family), the
// masks propagated by the old family stay until a propagation on request re-tracks them; segment
// everything runs on the EdgeTAM pack too.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus, JobSnapshot, ModelPackInfo, ObjectInfo, ProjectState, Proposal } from '../../src-main/api/contract';
import { openProjectStore, type StoredMask } from '../../src-main/core/store';
import { EDGETAM_MICRO_PACK_DIR } from '../fixtures/edgetam-micro/golden';
import { harness, squareAt, type Session } from './workflow-harness';

const h = harness('maskline-family-switch-');
cpSync(EDGETAM_MICRO_PACK_DIR, join(h.modelsDir, 'edgetam-micro'), { recursive: true });
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 12);

function rows(dir: string): StoredMask[] {
  const s = openProjectStore(dir, { create: false });
  try {
    return s.masks.listRange(1, 0, 1000);
  } finally {
    s.close();
  }
}

async function job(x: Session, method: string, args: unknown): Promise<JobSnapshot> {
  const { jobId } = await x.call<{ jobId: string }>(method, args);
  const j = await x.job(jobId);
  expect(j.state, j.error ?? '').toBe('done');
  return j;
}

describe('model families', () => {
  it('lists each family with its meaning, accuracy and the speed measured on first use; switching a project asks first, keeps prompts, re-propagates on request', async () => {
    const x = h.services('switch');
    // SAM 2.1 for the project's first work (without prompts no question is asked)
    await x.call('models.select', { id: 'sam2-micro' });
    const st = await x.openReady(clip);
    expect(st.engine).toMatchObject({ state: 'ready', pack: { id: 'sam2-micro', family: { id: 'sam2' } } });

    const packs = await x.call<ModelPackInfo[]>('models.list');
    const byId = (id: string) => packs.find((p) => p.id === id)!;
    expect(byId('sam2-micro').family).toMatchObject({ id: 'sam2', label: 'SAM 2.1', accuracy: expect.stringContaining('76.5') });
    expect(byId('edgetam-micro').family).toMatchObject({
      id: 'edgetam',
      label: 'EdgeTAM',
      accuracy: expect.stringContaining('71.7'),
      meaning: expect.stringMatching(/faster/),
    });
    // the pack in use was timed once when it was first used, and the figure is stored
    expect(byId('sam2-micro').speed).toMatchObject({ msPerFrame: expect.any(Number), provider: 'cpu', threads: 1 });
    expect(byId('sam2-micro').speed!.msPerFrame).toBeGreaterThan(0);
    expect(Object.keys(byId('sam2-micro').speed!.graphs).sort()).toEqual(['image_encoder', 'mask_decoder', 'memory_attention', 'memory_encoder']);
    expect(byId('edgetam-micro').speed).toBeNull();
    const stored = JSON.parse(readFileSync(join(x.dataDir, 'models', '.pack-speed.json'), 'utf8'));
    expect(Object.keys(stored)).toEqual([join(h.modelsDir, 'sam2-micro')]);
    // segment everything's decoder batch, timed with it (the Segment panel's estimate), kept per provider
    expect(byId('sam2-micro').speed).toMatchObject({ amgBatch: 64, amgBatchMs: expect.any(Number) });
    expect(stored[join(h.modelsDir, 'sam2-micro')].byProvider.cpu).toEqual(byId('sam2-micro').speed);

    await x.call<ObjectInfo>('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    await job(x, 'track.propagate', { frame: 0, direction: 'forward' });
    const before = rows(st.dir);
    expect(before).toHaveLength(12);
    expect(new Set(before.map((m) => m.packId))).toEqual(new Set(['sam2-micro']));

    // another family: the services say what it means and change nothing
    const refused = await x.fail('models.select', { id: 'edgetam-micro' });
    expect(refused).toMatchObject({ code: 'FAMILY_SWITCH', details: { id: 'edgetam-micro', from: 'sam2', to: 'edgetam' } });
    expect(refused.message).toMatch(/SAM 2\.1 and EdgeTAM memories are incompatible/);
    expect(refused.message).toMatch(/keeps every prompt and every prompted \(confirmed\) mask/);
    expect(refused.message).toMatch(/until you propagate again/);
    expect((await x.call<ProjectState>('project.state')).engine).toMatchObject({ pack: { id: 'sam2-micro' } });
    expect(rows(st.dir)).toEqual(before);

    // confirmed: EdgeTAM runs the project; its speed is measured on this first use
    const status = await x.call<EngineStatus>('models.select', { id: 'edgetam-micro', confirmFamilySwitch: true });
    expect(status).toMatchObject({ state: 'ready', pack: { id: 'edgetam-micro', family: { id: 'edgetam' } } });
    expect(status.pack!.speed!.msPerFrame).toBeGreaterThan(0);
    const st2 = await x.call<ProjectState>('project.state');
    expect(st2.prompts.map((p) => [p.objectId, p.frame])).toEqual([[1, 0]]);

    // the next engine operation restores the project: the prompt is replayed with EdgeTAM,
    // the propagated SAM 2.1 masks stay as they were until the user propagates again
    await x.call('masks.frame', { frame: 0 });
    await x.call('prompts.add', { objectId: 1, frame: 6, points: [squareAt(6)], labels: [1] });
    const mid = rows(st.dir);
    expect(mid.find((m) => m.frame === 0)).toMatchObject({ source: 'prompt', packId: 'edgetam-micro' });
    expect(mid.find((m) => m.frame === 6)).toMatchObject({ packId: 'edgetam-micro' });
    for (const f of [1, 2, 3, 4, 5, 7, 8]) expect(mid.find((m) => m.frame === f)).toEqual(before.find((m) => m.frame === f));

    // re-propagation on request: every frame is now EdgeTAM's
    await job(x, 'track.propagate', { frame: 0, direction: 'forward' });
    const after = rows(st.dir);
    expect(after).toHaveLength(12);
    expect(new Set(after.map((m) => m.packId))).toEqual(new Set(['edgetam-micro']));

    // back to SAM 2.1 asks again (EdgeTAM's memories mean nothing to SAM 2.1)
    expect((await x.fail('models.select', { id: 'sam2-micro' })).code).toBe('FAMILY_SWITCH');
  });

  it('segment everything runs on an EdgeTAM pack (same decoder)', async () => {
    const x = h.services('segment');
    await x.call('models.select', { id: 'edgetam-micro' });
    await x.openReady(clip);
    const j = await job(x, 'segment.everything', { frame: 0, pointsPerSide: 8, predIouThresh: 0.5, stabilityScoreThresh: 0, boxNmsThresh: 0.9 });
    expect(j).toMatchObject({ kind: 'segment', done: 64, total: 64 });
    const list = await x.call<Proposal[]>('segment.proposals', { frame: 0 });
    expect(list.length).toBeGreaterThan(0);
    const kept = await x.call<ObjectInfo[]>('segment.keep', { frame: 0, proposalIds: [list[0]!.id] });
    expect(kept).toHaveLength(1);
    expect((await x.call<ProjectState>('project.state')).engine).toMatchObject({ pack: { id: 'edgetam-micro', family: { id: 'edgetam' } } });
  });
});
