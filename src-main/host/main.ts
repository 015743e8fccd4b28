// Browser host entry: the same services and renderer as the Electron app, served on
// 127.0.0.1 for the browser (used where Electron cannot run).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppServices } from '../services/app-services';
import { dataDirWarning } from '../services/app-info';
import { whyNotWritable } from '../services/data-layout';
import { HOST_USAGE, HostArgsError, parseHostArgs } from './args';
import { startHost } from './server';

const here = dirname(fileURLToPath(import.meta.url));

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The exit code, or null while the host keeps serving. */
async function main(): Promise<number | null> {
  let args;
  try {
    args = parseHostArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof HostArgsError)) throw err;
    console.error(`maskline host: ${err.message}\n\n${HOST_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(HOST_USAGE);
    return 0;
  }
  const services = new AppServices({ dataDir: args.dataDir, transport: 'browser', version: appVersion() });
  let host;
  try {
    host = await startHost({ backend: services, rendererDir: join(here, '..', 'renderer'), uploadsDir: services.layout.uploads, port: args.port });
  } catch (err) {
    console.error(`maskline host: cannot listen on 127.0.0.1:${args.port}: ${(err as Error).message}`);
    return 1;
  }
  console.log(`Maskline is running at ${host.url}`);
  console.log(`data: ${services.layout.root}`);
  const notWritable = whyNotWritable(services.layout.root);
  if (notWritable) console.error(`maskline host: warning: ${dataDirWarning(services.layout.root, notWritable)}`);
  if (args.open) {
    const r = await services.call('project.openVideo', { path: args.open });
    if (!r.ok) console.error(`maskline host: cannot open ${args.open}: [${r.error.code}] ${r.error.message}`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await services.shutdown();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
