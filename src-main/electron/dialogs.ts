// Native file dialogs for the services (dialog.* methods), parented to our window.
import { dialog, shell, type BrowserWindow } from 'electron';
import type { Dialogs } from '../services/app-services';

const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'mpg', 'mpeg', 'ts', 'mts', 'm2ts', 'wmv', 'flv', 'ogv', '3gp'];

export function electronDialogs(window: () => BrowserWindow | null): Dialogs {
  return {
    async openVideo() {
      const w = window();
      const opts: Electron.OpenDialogOptions = {
        title: 'Open a video',
        properties: ['openFile'],
        filters: [
          { name: 'Videos', extensions: VIDEO_EXTENSIONS },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseFolder(title) {
      const w = window();
      const opts: Electron.OpenDialogOptions = { title: title ?? 'Choose a folder', properties: ['openDirectory', 'createDirectory'] };
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async revealPath(path) {
      shell.showItemInFolder(path);
      return true;
    },
  };
}
