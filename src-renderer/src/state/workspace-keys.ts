// The window's key actions (lib/keymap decides which key means what; this does it on the
// workspace). Returns false when the key does nothing here, so Tab can still move focus.
import type { KeyAction } from '../lib/keymap';
import { framePrompt } from '../lib/prompt-edit';
import type { Workspace } from './workspace.svelte';

export function applyKey(ws: Workspace, a: KeyAction): boolean {
  switch (a.type) {
    case 'step':
      ws.player.step(a.by);
      return true;
    case 'home':
      ws.player.home();
      return true;
    case 'end':
      ws.player.end();
      return true;
    case 'togglePlay':
      ws.player.togglePlay();
      return true;
    case 'fit':
      ws.view.fit();
      return true;
    case 'zoom':
      ws.view.zoomCentre(a.factor);
      return true;
    case 'selectObject':
      ws.objects.selectIndex(a.index);
      return true;
    case 'addObject':
      void ws.objects.add();
      return true;
    case 'toggleOverlays':
      ws.review.toggleOverlays();
      return true;
    case 'toggleOutline':
      ws.review.toggleOutline();
      return true;
    case 'cycleCandidate': {
      if (ws.prompt.candidates) {
        void ws.prompt.cycle(a.by);
        return true;
      }
      // a single click on this frame may have candidates kept with the project (a reopen, a reload)
      const obj = ws.objects.selected;
      const frame = ws.player.current;
      const p = obj && ws.project.state ? framePrompt(ws.project.state.prompts, obj.id, frame) : null;
      if (!obj || !p || p.points.length !== 1 || p.box) return false;
      void ws.prompt.restoreAndCycle(obj.id, frame, a.by);
      return true;
    }
    case 'undo':
      void ws.history.undo();
      return true;
    case 'redo':
      void ws.history.redo();
      return true;
    case 'marker':
      ws.review.setMarker(a.which, ws.player.current);
      return true;
    case 'clearMarkers':
      ws.review.clearMarkers();
      return true;
    case 'propagate':
      void ws.propagate(a.direction);
      return true;
    case 'repropagate':
      void ws.repropagate();
      return true;
    case 'promptedFrame':
      ws.jumpPrompted(a.by);
      return true;
    case 'nextLowConfidence':
      ws.jumpLowConfidence();
      return true;
    case 'clearFramePrompts':
      void ws.prompt.clearFrame();
      return true;
    case 'segment':
      ws.toggleSegment();
      return true;
    case 'tool':
      ws.setTool(a.mode);
      return true;
    case 'brushSize':
      ws.paint.resize(a.by);
      return true;
    case 'closePolygon':
      if (ws.paint.mode !== 'polygon') return false;
      ws.paint.closePolygon(a.subtract);
      return true;
    case 'escape':
      if (ws.question) ws.question = null;
      else if (ws.helpOpen) ws.helpOpen = false;
      else if (ws.exporter.open) ws.exporter.close();
      else if (ws.importer.open) ws.importer.close();
      else if (ws.models.screenOpen) ws.models.screenOpen = false;
      else if (ws.batch.open) ws.batch.hide();
      else if (ws.segment.active) ws.segment.close();
      else if (ws.paint.cancel()) return true;
      else return ws.prompt.cancelGesture();
      return true;
    case 'help':
      ws.helpOpen = !ws.helpOpen;
      return true;
  }
}
