// Command line of the browser host (`npm start` without Electron, or `node out/main/host.js`).
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { defaultDataDir } from '../services/install-locations';

export interface HostArgs {
  dataDir: string;
  port: number;
  open: string | null;
  help: boolean;
}

export const HOST_USAGE = `usage: node out/main/host.js [--data-dir DIR] [--port N] [--open VIDEO]

  --data-dir DIR  projects, frame caches, uploads and model packs (default: $MASKLINE_DATA_DIR, else the Electron app's folder, e.g. ~/.config/maskline)
  --port N        listen on 127.0.0.1:N (default: a free port)
  --open VIDEO    open this video at start-up`;

export class HostArgsError extends Error {}

export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()): HostArgs {
  const out: HostArgs = { dataDir: defaultDataDir(platform, env, home), port: 0, open: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new HostArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--data-dir':
        out.dataDir = resolve(value());
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new HostArgsError(`--port must be a number from 0 to 65535 (got ${JSON.stringify(v)})`);
        out.port = n;
        break;
      }
      case '--open':
        // the shell's folder is what a command line's relative path means: resolved here, the API takes absolute paths only
        out.open = resolve(value());
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new HostArgsError(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  return out;
}
