// The shape of AppServices' method table, and the workflow's part of it: every method of an open
// project's workflow answers NO_PROJECT without one.
import type { MethodArgs, MethodName, MethodResult } from '../api/contract';
import { API_CODES, ApiCallError } from '../api/errors';
import type { Workflow } from './workflow/workflow';

/** Total: a method of the contract without a handler is a compile error, not a runtime NOT_AVAILABLE. */
export type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> | MethodResult<M> };

/** The methods an open project's workflow answers (the rest of Handlers is AppServices' own). */
export function workflowHandlers(current: () => Workflow | null, state: () => MethodResult<'project.state'>) {
  const w = (): Workflow => {
    const x = current();
    if (!x) throw new ApiCallError(API_CODES.noProject, 'Open a video first.');
    return x;
  };
  const withState = async (p: Promise<void>) => {
    await p;
    return state()!;
  };
  const table = {
    'objects.add': (a) => w().objectsAdd(a),
    'objects.update': (a) => w().objectsUpdate(a),
    'objects.remove': (a) => w().objectsRemove(a.id),
    'prompts.add': (a) => w().promptsAdd(a),
    'prompts.chooseCandidate': (a) => w().chooseCandidate(a),
    'prompts.candidates': (a) => w().candidates(a),
    'prompts.addMask': (a) => w().addMask(a),
    'prompts.clearFrame': (a) => w().clearFrame(a),
    'history.undo': () => withState(w().undo()),
    'history.redo': () => withState(w().redo()),
    'track.propagate': (a) => w().propagate(a),
    'track.repropagateFrom': (a) => w().repropagateFrom(a.frame),
    'masks.frame': (a) => w().frameMasks(a.frame),
    'masks.tracks': () => w().tracks(),
    'annotations.import': (a) => w().importAnnotations(a),
    'segment.everything': (a) => w().segment.everything(a),
    'segment.proposals': (a) => w().segment.proposals(a.frame),
    'segment.keep': (a) => w().segment.keep(a),
  } satisfies Partial<Handlers>;
  return table;
}
