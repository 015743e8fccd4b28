#!/usr/bin/env node
// Exit 0 when an ffmpeg and an ffprobe from npm packages (or MASKLINE_FFMPEG/MASKLINE_FFPROBE) run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
function candidates(kind) {
  const out = [];
  const env = kind === 'ffmpeg' ? process.env.MASKLINE_FFMPEG : process.env.MASKLINE_FFPROBE;
  if (env) out.push(env);
  try {
    if (kind === 'ffmpeg') out.push(require('ffmpeg-static'));
  } catch {}
  try {
    out.push(require(kind === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe').path);
  } catch {}
  return out.filter(Boolean);
}
const works = (bin) => spawnSync(bin, ['-version'], { encoding: 'utf8' }).status === 0;
const ok = ['ffmpeg', 'ffprobe'].every((k) => candidates(k).some(works));
console.log(ok ? 'ffmpeg: npm-provided binaries work' : 'ffmpeg: no working npm-provided binary');
process.exit(ok ? 0 : 1);
