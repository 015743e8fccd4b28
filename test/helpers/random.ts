// Seeded pseudo-random floats for tests that feed graphs made-up inputs: the same numbers on
// every run and machine (a linear congruential generator), uniform in [-scale/2, scale/2).
export function seededFloats(n: number, seed: number, scale = 4): Float32Array {
  const a = new Float32Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    a[i] = (x / 2147483648 - 0.5) * scale;
  }
  return a;
}
