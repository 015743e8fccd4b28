// The exporter's own parity checks need PyTorch and run on a GPU/PyTorch machine, not here. CI
// checks what it can without them: every Python file compiles, the CLI starts and explains
// itself, and requirements.txt pins what the script imports.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const exportDir = resolve(fileURLToPath(new URL('../../../models/export', import.meta.url)));
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
const pyFiles = [
  'export_sam2.py',
  ...['sam2export', 'tests'].flatMap((dir) => readdirSync(join(exportDir, dir)).filter((f) => f.endsWith('.py')).map((f) => `${dir}/${f}`)),
];

describe.skipIf(!python)('models/export (python3 required; skipped when it is not installed)', () => {
  test('every exporter file compiles (python3 -m py_compile)', () => {
    const out = mkdtempSync(join(tmpdir(), 'maskline-pyc-'));
    try {
      // one interpreter for all files; compiled into a temp dir so no __pycache__ appears in the checkout
      const script = 'import py_compile, sys\nfor i, f in enumerate(sys.argv[2:]): py_compile.compile(f, cfile=f"{sys.argv[1]}/{i}.pyc", doraise=True)';
      execFileSync(python!, ['-c', script, out, ...pyFiles.map((f) => join(exportDir, f))]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    expect(pyFiles.length).toBeGreaterThanOrEqual(10);
  });

  test('--help works without PyTorch and lists the documented options', () => {
    const help = execFileSync(python!, ['-B', join(exportDir, 'export_sam2.py'), '--help'], { encoding: 'utf8' });
    for (const opt of ['--model', '--out', '--from-local', '--fp16', '--attention', '--compare-pack', '--bench']) expect(help).toContain(opt);
  });

  test('a missing required option is a usage error naming it', () => {
    const r = spawnSync(python!, ['-B', join(exportDir, 'export_sam2.py'), '--out', '/tmp/x'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the following arguments are required: --model \(or --from-local DIR\)/);
  });
});

test('requirements.txt pins every third-party module the exporter imports', () => {
  const req = readFileSync(join(exportDir, 'requirements.txt'), 'utf8');
  // the versions the exporter is proven with (issue: torch >= 2.13, transformers 5.17.x, newer 5.x allowed)
  expect(req).toMatch(/^torch>=2\.13,<3$/m);
  expect(req).toMatch(/^transformers>=5\.17,<6$/m);
  expect(req).not.toMatch(/onnxconverter/);
  const pinned = new Set(
    req
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean)
      .map((l) => {
        expect(l, `unpinned requirement: ${l}`).toMatch(/[=<>~]=?/);
        return l.split(/[=<>~!;[ ]/)[0]!.toLowerCase();
      }),
  );
  const pipName: Record<string, string> = { onnxconverter_common: 'onnxconverter-common', huggingface_hub: 'huggingface-hub' };
  const thirdParty = new Set<string>();
  for (const f of pyFiles) {
    for (const m of readFileSync(join(exportDir, f), 'utf8').matchAll(/^\s*(?:from|import) ([a-z_][a-z0-9_]*)/gm)) thirdParty.add(m[1]!);
  }
  const stdlib = new Set([
    ...['argparse', 'contextlib', 'dataclasses', 'hashlib', 'importlib', 'inspect', 'io', 'json', 'math', 'os', 'platform'],
    ...['shutil', 'struct', 'subprocess', 'sys', 'tempfile', 'time', 'types', 'unittest', 'base64'],
    ...['sam2export', 'tests', 'export_sam2'],
  ]);
  for (const mod of [...thirdParty].filter((m) => !stdlib.has(m))) expect(pinned, `${mod} is imported but not in requirements.txt`).toContain(pipName[mod] ?? mod);
});
