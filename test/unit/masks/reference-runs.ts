// The reference run-length encoder the fast encoders are checked against: one pixel at a time,
// runs alternating 0 and 1 starting with a (possibly empty) run of 0s, as pycocotools counts.

/** Runs of the pixels in the order given. */
export function naiveRuns(pixels: Iterable<number>): number[] {
  const counts: number[] = [];
  let cur = 0;
  let run = 0;
  for (const px of pixels) {
    const v = px ? 1 : 0;
    if (v !== cur) {
      counts.push(run);
      run = 0;
      cur = v;
    }
    run++;
  }
  counts.push(run);
  return counts;
}

/** The pixels of a row-major h×w bitmap in column-major (Fortran) order, as pycocotools walks them. */
export function* columnMajor(bitmap: Uint8Array, w: number, h: number): Generator<number> {
  for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) yield bitmap[y * w + x]!;
}
