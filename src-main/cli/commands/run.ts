// `maskline run`: video + prompts in, propagation, export out — headless, through the very
// services the Electron app and the browser host use (services/headless-run.ts, which the batch
// worker runs too), so the project it writes is an ordinary project: the app opens it with its
// objects, prompts, masks and engine state. prompts.json is `maskline track`'s format
// (src-main/core/sam2/track-prompts.ts).
import { delimiter, dirname, resolve } from 'node:path';
import { PromptsFileError, readTrackPrompts, type TrackObject } from '../../core/sam2/track-prompts';
import { AppServices } from '../../services/app-services';
import { HeadlessRunError, runHeadless } from '../../services/headless-run';
import { defaultDataDir } from '../../services/install-locations';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXPORT_FLAGS, exportRequestFromFlags, progressPrinter } from './export';
import { OutputStaging } from '../../core/export/staging';
import { ExportError, outputNames } from '../../core/export/types';
import { memoryFlag, memoryFlagSpec } from '../memory-flag';
import { relaunchForLean } from '../glibc-relaunch';

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Video + prompts in, SAM 2.1 or EdgeTAM propagation, export out (headless batch)',
  flags: {
    model: { type: 'path', required: true, help: 'model pack folder (maskline-sam2 or maskline-edgetam format)' },
    video: { type: 'path', required: true, help: 'the video file' },
    prompts: {
      type: 'path',
      required: true,
      help: 'prompts.json as for `maskline track`: {"objects":[{"id":1,"prompts":[{"frame":0,"points":[[x,y]],"labels":[1],"box":[x0,y0,x1,y1]}]}]}',
    },
    project: { type: 'path', required: true, help: 'project folder to create, or to update when it holds this video' },
    memory: memoryFlagSpec,
    ...EXPORT_FLAGS,
  },
  async run(flags) {
    const request = exportRequestFromFlags(flags);
    const memory = memoryFlag(flags.memory);
    let objects: TrackObject[];
    try {
      objects = readTrackPrompts(String(flags.prompts));
    } catch (err) {
      if (err instanceof PromptsFileError) throw new UsageError(`--prompts ${err.message}`);
      throw err;
    }
    // lean on glibc needs a malloc setting only a process start can make: once its flags are valid, this command starts again with it
    const relaunched = relaunchForLean(memory);
    if (relaunched) return relaunched;
    // the export at the end replaces only what an earlier export wrote: refused now, not after the propagation
    try {
      await OutputStaging.check(request.outDir, outputNames(request.formats));
    } catch (err) {
      if (!(err instanceof ExportError)) throw err;
      console.error(`maskline run: ${err.code}: ${err.message}`);
      return 1;
    }
    const packDir = resolve(String(flags.model));
    const env = { ...process.env, MASKLINE_MODELS: [dirname(packDir), process.env.MASKLINE_MODELS].filter(Boolean).join(delimiter) };
    const s = new AppServices({ dataDir: defaultDataDir(), transport: 'cli', version: 'cli', env, log: (l) => console.error(l), engine: { memory } });
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    // on, not once: a relaunched command gets Ctrl-C twice (glibc-relaunch.ts), and aborting again changes nothing
    process.on('SIGINT', onSigint);
    const print = progressPrinter((line) => console.error(line));
    try {
      const r = await runHeadless(s, {
        packDir,
        packSource: '--model',
        video: resolve(String(flags.video)),
        projectDir: resolve(String(flags.project)),
        seed: { kind: 'prompts', objects },
        exportRequest: request,
        signal: ac.signal,
        onProgress: (p) => print(p),
        note: (line) => console.error(line),
      });
      console.error(`model: ${r.pack.name} (${r.pack.id})`);
      for (const w of r.export.warnings) console.error(`warning: ${w}`);
      console.log(`exported ${r.export.frames} frames (${r.export.fileCount} files):`);
      for (const f of r.export.files) console.log(`  ${f}`);
      return 0;
    } catch (err) {
      if (err instanceof HeadlessRunError) {
        console.error(`maskline run: ${err.error.code}: ${err.error.message}`);
        return err.error.code === 'CANCELLED' ? 130 : 1;
      }
      throw err;
    } finally {
      process.off('SIGINT', onSigint);
      await s.shutdown();
    }
  },
};
