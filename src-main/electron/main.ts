// Electron main process: one window with a sandboxed renderer, the API over IPC, frames over
// a custom protocol. The services run here (see docs/app-shell.md, "Where the work runs"):
// they only coordinate — ffmpeg is a child process, SQLite writes are small, and the SAM 2
// engine gets its own worker thread.
import { app, BrowserWindow, session } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppServices } from '../services/app-services';
import { electronDialogs } from './dialogs';
import { handleFrameProtocol, registerFrameScheme } from './frame-protocol';
import { attachIpc } from './ipc-main';
import { isTrustedRendererUrl, type TrustedRenderer } from './sender-check';

const here = dirname(fileURLToPath(import.meta.url));
const log = (l: string) => console.error(l);

/** `--name value` or `--name=value` among Electron's own and Chromium's switches. */
function argValue(name: string): string | undefined {
  const argv = process.argv;
  const i = argv.indexOf(name);
  if (i >= 0 && argv[i + 1] && !argv[i + 1]!.startsWith('--')) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

// the same flags as the browser host (npm start passes them through); tests and portable setups keep their data elsewhere
const dataDir = argValue('--data-dir') ?? process.env.MASKLINE_DATA_DIR;
if (dataDir) app.setPath('userData', resolve(dataDir));
const openAtStart = argValue('--open');

registerFrameScheme();
if (!app.requestSingleInstanceLock()) app.quit();

const trusted: TrustedRenderer = {
  indexFile: join(here, '..', 'renderer', 'index.html'),
  devServerUrl: !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null,
};

let win: BrowserWindow | null = null;
let services: AppServices | null = null;

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 520,
    backgroundColor: '#111316',
    title: 'Maskline',
    show: false,
    webPreferences: {
      preload: join(here, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  w.once('ready-to-show', () => w.show());
  // the app never opens other pages, in this window or new ones
  w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  w.webContents.on('will-navigate', (e, url) => {
    if (!isTrustedRendererUrl(url, trusted)) e.preventDefault();
  });
  if (trusted.devServerUrl) void w.loadURL(trusted.devServerUrl);
  else void w.loadFile(trusted.indexFile);
  w.on('closed', () => {
    if (win === w) win = null;
  });
  return w;
}

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.whenReady().then(() => {
  // no camera, microphone, notifications, ... for anyone
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  services = new AppServices({
    dataDir: app.getPath('userData'),
    transport: 'electron',
    version: app.getVersion(),
    dialogs: electronDialogs(() => win),
    log,
  });
  handleFrameProtocol(services);
  attachIpc(services, () => win?.webContents ?? null, trusted, log);
  win = createWindow();
  if (openAtStart) {
    // the renderer asks for project.state when it starts, and events cover a later finish
    void services.call('project.openVideo', { path: resolve(openAtStart) }).then((r) => {
      if (!r.ok) log(`[maskline] cannot open ${openAtStart}: [${r.error.code}] ${r.error.message}`);
    });
  }
  app.on('activate', () => {
    if (!win) win = createWindow();
  });
});

app.on('window-all-closed', () => app.quit());

// stop running jobs (ffmpeg, later the engine) before the process goes
let shutDown = false;
app.on('before-quit', (e) => {
  if (shutDown || !services) return;
  e.preventDefault();
  void services.shutdown().finally(() => {
    shutDown = true;
    app.quit();
  });
});
