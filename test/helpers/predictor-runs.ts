// Running a predictor's propagation to the end and comparing two runs, for the snapshot tests of
// both families.
import { expect } from 'vitest';
import type { FrameResult, Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';

/** Every frame of a propagation, with low-res logits. */
export async function propagateAll(p: Sam2VideoPredictor, opts: Parameters<Sam2VideoPredictor['propagate']>[0]): Promise<FrameResult[]> {
  const out: FrameResult[] = [];
  for await (const f of p.propagate({ lowRes: true, ...opts })) out.push(f);
  return out;
}

/** Max |Δ| of the low-res logits of two runs over the same frames (asserted) and objects. */
export function maxLowResDiff(a: FrameResult[], b: FrameResult[]): number {
  let m = 0;
  expect(a.map((f) => f.frame)).toEqual(b.map((f) => f.frame));
  a.forEach((fa, i) =>
    fa.objects.forEach((o, k) => {
      const y = b[i]!.objects[k]!.lowRes!;
      o.lowRes!.forEach((v, j) => (m = Math.max(m, Math.abs(v - y[j]!))));
    }),
  );
  return m;
}
