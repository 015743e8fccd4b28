// A SourceSpec of the protocol → the frame source it names (the engine worker and the
// pre-encoding thread open theirs the same way).
import { EngineError } from '../core/sam2/errors';
import { FolderFrameSource } from '../core/sam2/frame-source-folder';
import { MemoryFrameSource, type FrameSource } from '../core/sam2/frame-source';
import { VideoFileFrameSource } from '../core/sam2/frame-source-video';
import type { SourceSpec } from './protocol';

export async function openSource(s: SourceSpec, signal: AbortSignal): Promise<FrameSource> {
  if (s.kind === 'folder') return FolderFrameSource.open(s.dir);
  if (s.kind === 'video') return VideoFileFrameSource.open(s.path, { signal });
  if (s.kind === 'frames') return new MemoryFrameSource(s.frames.map((data) => ({ width: s.width, height: s.height, data })));
  throw new EngineError('BAD_ARGUMENT', `unknown frame source kind ${JSON.stringify((s as { kind: unknown }).kind)}`);
}
