// Runs the exporter's own Python test suite (models/export/tests, unittest) with the first Python
// that has the modules it needs: argument parsing, report writing, staging, transformers-version
// rules, the pack writer, constant sharing on synthetic ONNX graphs, and pack_tracker.py replaying
// both micro fixtures' goldens (onnxruntime-node standing in for onnxruntime). It needs no PyTorch;
// tests whose module (numpy, onnx) is missing are skipped by unittest with the reason printed here.
// `python3` on PATH may be a pyenv shim without numpy/onnx, so /usr/bin/python3 is tried as well.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const exportDir = resolve(fileURLToPath(new URL('../../../models/export', import.meta.url)));
const wanted = ['numpy', 'onnx'];

type Interpreter = { path: string; version: string; modules: string[] };

function probe(path: string): Interpreter | null {
  const script = `import importlib.util, json, sys\nprint(json.dumps({"version": sys.version.split()[0], "modules": [m for m in ${JSON.stringify(wanted)} if importlib.util.find_spec(m)]}))`;
  const r = spawnSync(path, ['-c', script], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) return null;
  try {
    const info = JSON.parse(r.stdout.trim()) as { version: string; modules: string[] };
    return { path, ...info };
  } catch {
    return null;
  }
}

function pickInterpreter(): Interpreter | null {
  const found = ['python3', '/usr/bin/python3', 'python'].map(probe).filter((p): p is Interpreter => p !== null);
  found.sort((a, b) => b.modules.length - a.modules.length);
  return found[0] ?? null;
}

const python = pickInterpreter();
if (!python) console.log('models/export Python tests: skipped, no python3 found');
else console.log(`models/export Python tests: ${python.path} ${python.version} with ${python.modules.join(', ') || 'no optional modules'}`);

describe.skipIf(!python)('models/export Python test suite (python -m unittest)', () => {
  test('passes, and says what it skipped and why', { timeout: 1_560_000 }, () => {
    const r = spawnSync(python!.path, ['-B', '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], {
      cwd: exportDir,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 1_500_000, // the golden replays (and, with torch, the exports) take minutes on a busy 2-core machine
    });
    const out = `${r.stdout}${r.stderr}`;
    const skipped = out.split('\n').filter((l) => /\.\.\. skipped\b/.test(l)); // the per-test lines, not the "OK (skipped=N)" total
    if (skipped.length) console.log(`models/export Python tests skipped:\n${skipped.join('\n')}`);
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/\nOK/);
    const ran = Number(/Ran (\d+) tests?/.exec(out)?.[1] ?? 0);
    expect(ran).toBeGreaterThanOrEqual(25);
    // with numpy and onnx present nothing may be skipped but for absent fixtures, or the export
    // tests that need PyTorch (a PyTorch machine runs them; CI has none)
    if (wanted.every((m) => python!.modules.includes(m))) {
      for (const line of skipped) expect(line).toMatch(/not present|needs torch/);
    }
  });
});
