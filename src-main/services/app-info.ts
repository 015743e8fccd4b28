// app.info: version, transport, data dir, which ffmpeg/ffprobe, and the problems the UI shows at
// start-up (missing ffmpeg, no usable model pack).
import type { AppInfo } from '../api/contract';
import { resolveTool } from '../core/video';
import type { EngineManager } from './engine-manager';

export async function appInfo(o: { version: string; transport: AppInfo['transport']; dataDir: string; engine: EngineManager }): Promise<AppInfo> {
  const ffmpeg = resolveTool('ffmpeg');
  const ffprobe = resolveTool('ffprobe');
  const warnings: string[] = [];
  if (!ffmpeg) warnings.push('ffmpeg was not found: videos cannot be opened. Run `npm install` again or install ffmpeg (or set MASKLINE_FFMPEG).');
  if (!ffprobe) warnings.push('ffprobe was not found: videos cannot be opened. Run `npm install` again or install ffmpeg (or set MASKLINE_FFPROBE).');
  const packs = await o.engine.packs().catch(() => []);
  if (!packs.some((p) => p.problem === null)) warnings.push(o.engine.status().error ?? 'No usable model pack is installed (see Models).');
  return { version: o.version, transport: o.transport, platform: `${process.platform}-${process.arch}`, dataDir: o.dataDir, ffmpeg, ffprobe, warnings };
}
