// app.info: version, transport, data dir, which ffmpeg/ffprobe, and the problems the UI shows at
// start-up (missing ffmpeg). A missing model pack is not repeated here: EngineStatus (state
// 'none' with its instructions) is the one place that says it, and the UI's first-run panel shows it.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppInfo } from '../api/contract';
import { resolveTool } from '../core/video';
import { whyNotWritable } from './data-layout';

/** Said at start-up (host log, UI banner) when the data folder cannot be written. */
export function dataDirWarning(dataDir: string, errno: string): string {
  return `The data folder ${dataDir} cannot be written (${errno}): projects open read-only (view and export), and new videos cannot be opened or uploaded. Start Maskline with a writable data folder (--data-dir or MASKLINE_DATA_DIR).`;
}

export function appInfo(o: { version: string; transport: AppInfo['transport']; dataDir: string }): AppInfo {
  const ffmpeg = resolveTool('ffmpeg');
  const ffprobe = resolveTool('ffprobe');
  const warnings: string[] = [];
  if (!ffmpeg) warnings.push('ffmpeg was not found: videos cannot be opened. Run `npm install` again or install ffmpeg (or set MASKLINE_FFMPEG).');
  if (!ffprobe) warnings.push('ffprobe was not found: videos cannot be opened. Run `npm install` again or install ffmpeg (or set MASKLINE_FFPROBE).');
  const notWritable = whyNotWritable(o.dataDir);
  if (notWritable) warnings.push(dataDirWarning(o.dataDir, notWritable));
  const homeDir = homedir();
  const documents = join(homeDir, 'Documents');
  const documentsDir = existsSync(documents) ? documents : homeDir;
  return {
    version: o.version,
    transport: o.transport,
    platform: `${process.platform}-${process.arch}`,
    dataDir: o.dataDir,
    homeDir,
    documentsDir,
    ffmpeg,
    ffprobe,
    warnings,
  };
}
