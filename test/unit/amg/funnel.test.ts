// The funnel of a run on the scripted decoder (fake-backend.ts): which stages appear for which
// options, each stage's input is the previous stage's output, the counts match what the run
// returned, and the best scores are those of the masks that reached the filter.
import { describe, expect, test } from 'vitest';
import type { AmgFunnel } from '../../../src-main/api/contract';
import { generateMasks } from '../../../src-main/core/sam2/amg/generator';
import { fakeBackend } from './fake-backend';

function chained(f: AmgFunnel): void {
  let input = f.candidates;
  for (const s of f.stages) {
    expect(s.input, `${s.filter} input`).toBe(input);
    expect(s.kept).toBeLessThanOrEqual(s.input);
    input = s.kept;
  }
}

describe('the funnel of a run', () => {
  test('defaults: IoU, stability, NMS; chained; ends at the proposals kept', async () => {
    const r = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4 });
    const f = r.stats.funnel;
    expect(f.candidates).toBe(r.stats.decodedMasks);
    expect(f.stages.map((s) => [s.filter, s.threshold])).toEqual([
      ['predIou', 0.8],
      ['stability', 0.95],
      ['boxNms', 0.7],
    ]);
    chained(f);
    expect(f.stages[1]!.kept).toBe(r.stats.passedFilters);
    expect(f.stages.at(-1)!.kept).toBe(r.masks.length);
    expect(f.stages[0]!.best).toBeGreaterThan(0.8);
    expect(f.stages[2]!.best).toBeNull();
  });

  test('a threshold no mask reaches: the IoU stage keeps 0, the later stages see 0, best says how close it came', async () => {
    const r = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, predIouThresh: 0.999 });
    const f = r.stats.funnel;
    chained(f);
    expect(r.masks).toEqual([]);
    expect(f.stages.map((s) => s.kept)).toEqual([0, 0, 0]);
    expect(f.stages[0]!.best).toBeLessThan(0.999);
    // nothing reached the stability filter
    expect(f.stages[1]!.best).toBeNull();
  });

  test('filters switched off have no stage; crop layers add the crop-edge rule and the NMS between crops; clean-up adds its stage', async () => {
    const off = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, predIouThresh: 0, stabilityScoreThresh: 0 });
    expect(off.stats.funnel.stages.map((s) => s.filter)).toEqual(['boxNms']);
    expect(off.stats.funnel.stages[0]!.input).toBe(off.stats.decodedMasks);

    const crops = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, cropNLayers: 1, cropOverlapRatio: 0, postprocessMinArea: 4 });
    const f = crops.stats.funnel;
    expect(f.stages.map((s) => s.filter)).toEqual(['predIou', 'stability', 'cropEdge', 'boxNms', 'cropNms', 'smallRegions']);
    chained(f);
    // the inner crop edges cut some masks (generator.test.ts: discs 0 and 1 straddle one)
    const edge = f.stages[2]!;
    expect(edge.kept).toBeLessThan(edge.input);
    expect(edge.kept).toBe(crops.stats.passedFilters);
    expect(f.stages.at(-1)!.kept).toBe(crops.masks.length);
  });
});
