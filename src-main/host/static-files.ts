// The built renderer (out/renderer) over HTTP: a path check that cannot leave the folder,
// the right MIME types, and caching that matches vite's output (hashed assets never
// change; index.html must be re-read so a rebuild is picked up).
import { realpathSync } from 'node:fs';
import { extname, relative, resolve, sep } from 'node:path';
import { isInside } from '../services/path-containment';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or null when the path is malformed or would
 * leave `root` (encoded dots and slashes, backslashes, NUL, absolute paths all count).
 * "/" is index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.')) return null;
  const rel = parts.length === 0 ? 'index.html' : parts.join('/');
  const full = resolve(root, rel);
  return isInside(resolve(root), full) ? full : null;
}

/** Symlinks inside the folder must not lead out of it either. */
export function realPathInside(root: string, path: string): boolean {
  try {
    return isInside(realpathSync(root), realpathSync(path));
  } catch {
    return false;
  }
}

export function cacheControlFor(path: string, root: string): string {
  // vite names everything under assets/ by content hash
  const rel = relative(root, path).split(sep);
  return rel[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
}
