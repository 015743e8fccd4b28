// The import dialog's choices as the API request, checked before sending. Pure.
import type { ImportAnnotationsRequest, ImportFormat } from '$api/contract';

export interface ImportForm {
  format: ImportFormat;
  path: string;
  as: 'prompts' | 'fixed';
  pick: 'all' | 'first' | 'every';
  every: number;
}

export const IMPORT_FORMAT_NAMES: Record<ImportFormat, string> = {
  png: 'PNG masks (<object>/<frame>.png)',
  palette: 'DAVIS palette PNGs',
  coco: 'COCO JSON (RLE or polygons)',
  yolo: 'YOLO-seg labels',
  mots: 'MOTS txt',
};

/** The request, or the reason it cannot be sent. */
export function importRequest(f: ImportForm): { ok: true; request: ImportAnnotationsRequest } | { ok: false; error: string } {
  const path = f.path.trim();
  if (!path) return { ok: false, error: 'Enter the path of the file or folder to import.' };
  // the services take absolute paths only (POSIX /…, Windows C:\… or \\server\…)
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)) return { ok: false, error: `${path} is not an absolute path.` };
  const request: ImportAnnotationsRequest = { format: f.format, path, as: f.as };
  if (f.as === 'prompts') {
    if (f.pick === 'every') {
      if (!Number.isInteger(f.every) || f.every < 1) return { ok: false, error: 'Every N frames needs a whole number of at least 1.' };
      request.pick = { every: f.every };
    } else request.pick = f.pick;
  }
  return { ok: true, request };
}
