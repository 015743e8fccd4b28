// The two model families side by side (issue 17): per tracked frame at 1 and 7 memory frames,
// for 1/4/16 objects, click latency cold and cached, and the engine's share of the frame time,
// from the runs of the engine suite (one process, one run each, so the ratios are comparable).
import type { BenchTable } from './suite';

export interface FamilyRun {
  label: string;
  family: string;
  /** mean per tracked frame over the same frames for every object count */
  byObjects: { objects: number; wall: number; graphs: number }[];
  /** one object, each tracked frame as the bank fills */
  byBank: { frame: number; memories: number; wall: number; graphs: number }[];
  clickCold: number;
  clickCached: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Mean wall and graph time of the one-object frames with this many memory frames. */
export function atBank(r: FamilyRun, memories: number): { wall: number; graphs: number; frames: number } {
  const rows = r.byBank.filter((x) => x.memories === memories);
  return { wall: mean(rows.map((x) => x.wall)), graphs: mean(rows.map((x) => x.graphs)), frames: rows.length };
}

const overhead = (x: { wall: number; graphs: number }) => `${((100 * (x.wall - x.graphs)) / x.graphs).toFixed(1)} %`;

export function familyComparison(runs: readonly FamilyRun[]): BenchTable {
  const rows = runs.map((r) => {
    const one = atBank(r, 1);
    const full = atBank(r, 7);
    const obj = (k: number) => r.byObjects.find((x) => x.objects === k)?.wall ?? NaN;
    return [r.family, r.label, one.wall, full.wall, overhead(full), obj(1), obj(4), obj(16), r.clickCold, r.clickCached];
  });
  const notes: string[] = [];
  const edge = runs.find((r) => r.family === 'edgetam');
  const sam = runs.find((r) => r.family === 'sam2');
  if (edge) {
    const full = atBank(edge, 7);
    const share = (full.wall - full.graphs) / full.graphs;
    notes.push(
      `EdgeTAM targets: ≤ 1000 ms per tracked frame at a full bank for one object (${full.wall.toFixed(0)} ms over ${full.frames} frames: ${full.wall <= 1000 ? 'met' : 'NOT met'}); ` +
        `engine adds ≤ 5 % to the graph time (${(100 * share).toFixed(1)} %: ${share <= 0.05 ? 'met' : 'NOT met'})`,
    );
  }
  if (edge && sam) {
    notes.push(
      `SAM 2.1 tiny / EdgeTAM per tracked frame: ${(atBank(sam, 1).wall / atBank(edge, 1).wall).toFixed(1)}× at 1 memory frame, ${(atBank(sam, 7).wall / atBank(edge, 7).wall).toFixed(1)}× at 7, ` +
        `${(sam.byObjects.find((x) => x.objects === 16)!.wall / edge.byObjects.find((x) => x.objects === 16)!.wall).toFixed(1)}× at 16 objects`,
    );
  }
  return {
    title: 'engine: the two model families side by side (ms; one object unless stated; 7 memory frames = mean of the full-bank frames)',
    columns: [
      'family',
      'pack',
      '1 memory frame',
      '7 memory frames',
      'engine overhead at 7',
      '1 object',
      '4 objects',
      '16 objects',
      'click (not cached)',
      'click (cached)',
    ],
    rows,
    notes,
  };
}
