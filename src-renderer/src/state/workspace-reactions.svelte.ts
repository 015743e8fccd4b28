// The window's reactions to its own state, in one effect root that the workspace owns and
// disposes: each keeps a loader or a saved setting in step with the playhead, the project's
// progress or the panel on screen. None resets anything: what an open, a switch or a close
// resets is Workspace.enter's transition, applied once when the project state arrives.
import type { Workspace } from './workspace.svelte';

/** Starts the reactions; the returned function stops them all. */
export function startReactions(ws: Workspace): () => void {
  return $effect.root(() => {
    // a project is open: changes on open and close only, not with every project.changed
    const open = $derived(ws.project.state !== null);
    // frames are read only once extracted (the extraction job's progress)
    $effect(() => ws.loader.setReady(ws.project.framesReady));
    // the frame on screen and its neighbours load first; playing widens the window ahead
    $effect(() => ws.loader.focus(ws.player.current, ws.player.playing));
    $effect(() => {
      // re-runs after invalidate() too (version), so visited frames refetch
      void ws.masks.version;
      if (open) ws.masks.ensure(ws.player.current);
    });
    $effect(() => {
      if (open && ws.segment.active) ws.segment.ensure(ws.player.current);
    });
    // the playhead resting on a frame starts its pre-encoding (after REST_MS without a move)
    $effect(() => ws.preencode.moved(ws.player.current, ws.player.playing, open));
    // where the user left the project: saved a moment after it changes
    $effect(() => ws.saveViewSoon());
  });
}
