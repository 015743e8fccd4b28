import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../args';
import { formatTable, type BenchSuite, type BenchTable } from '../bench/suite';
import { videoBench } from '../bench/video';
import { engineBench } from '../bench/engine';
import { exportBench } from '../bench/export';
import { workflowBench } from '../bench/workflow';
import { amgBench } from '../bench/amg';
import { uiBench } from '../bench/ui';
import { labelsBench } from '../bench/labels';
import { PREENCODE_PARTS, preencodeBench } from '../bench/preencode';
import { batchBench } from '../bench/batch';

const suites: BenchSuite[] = [videoBench, uiBench, engineBench, exportBench, workflowBench, amgBench, labelsBench, preencodeBench, batchBench];

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: `Benchmarks, printed as tables (suites: ${suites.map((s) => s.name).join(', ')})`,
  flags: {
    suite: { type: 'string', help: 'comma-separated suites to run (default: all)' },
    quick: { type: 'switch', help: 'short settings, for a smoke run' },
    json: { type: 'path', help: 'also write the tables as JSON to this file' },
    frames: { type: 'number', help: 'frames of the long clip (preencode: RSS per frame; default 10,000, --quick 300)' },
    'hd-frames': { type: 'number', help: 'frames of the 1080p tiny-shapes clip (preencode; default 60)' },
    clicks: { type: 'number', help: 'clicks per mode (preencode; default 20, --quick 3)' },
    'prop-frames': { type: 'number', help: 'frames of each propagation on/off (preencode; default 12 on the tiny shapes, --quick 20)' },
    parts: { type: 'string', help: `the preencode suite's tables, comma-separated (${PREENCODE_PARTS.join(', ')}; default all)` },
  },
  async run(flags) {
    const count = (name: string, min: number): number | undefined => {
      const v = flags[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${String(v)}`);
      return v;
    };
    const sizes = { frames: count('frames', 10), hdFrames: count('hd-frames', 5), clicks: count('clicks', 1), propFrames: count('prop-frames', 2) };
    const parts = typeof flags.parts === 'string' ? flags.parts.split(',').map((s) => s.trim()) : undefined;
    const unknownParts = (parts ?? []).filter((p) => !(PREENCODE_PARTS as readonly string[]).includes(p));
    if (unknownParts.length) throw new UsageError(`--parts: unknown part(s) ${unknownParts.join(', ')}; choose from ${PREENCODE_PARTS.join(', ')}`);
    const wanted = typeof flags.suite === 'string' ? flags.suite.split(',').map((s) => s.trim()) : suites.map((s) => s.name);
    const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
    if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')}`);
    const workDir = mkdtempSync(join(tmpdir(), 'maskline-bench-'));
    const all: Record<string, BenchTable[]> = {};
    console.log(
      `# maskline bench — ${new Date().toISOString()}\n\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}\n`,
    );
    try {
      for (const s of suites.filter((x) => wanted.includes(x.name))) {
        console.log(`## ${s.name}: ${s.summary}\n`);
        const dir = join(workDir, s.name);
        mkdirSync(dir, { recursive: true });
        const tables = await s.run({ quick: flags.quick === true, workDir: dir, ...sizes, parts });
        all[s.name] = tables;
        for (const t of tables) console.log(formatTable(t) + '\n');
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    if (typeof flags.json === 'string') writeFileSync(flags.json, JSON.stringify(all, null, 2));
    return 0;
  },
};
