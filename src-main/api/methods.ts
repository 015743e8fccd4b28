// The runtime side of contract.ts: every method's name with a strict validator for its
// arguments, and the event names. Both adapters (Electron IPC, browser host) validate with
// these before a service sees anything; the preload generates one bridge function per
// entry of METHOD_NAMES. The mapped types below make a missing or mistyped entry a
// compile error, so the lists cannot drift from the contract.
import type { EventName, MethodArgs, MethodName } from './contract';
import { API_CODES, ApiCallError } from './errors';
import { absolutePath, arr, bad, bool, int, noArgs, nullable, num, obj, oneOf, opt, str, tuple, type Check } from './validate';

const MAX_FRAME = 10_000_000;
const frame = int(0, MAX_FRAME);
const id = int(1, Number.MAX_SAFE_INTEGER);
/** every path argument (videos, project and pack folders, export destinations) is absolute */
const path = absolutePath();
const name = str({ max: 200 });
const color = str({ pattern: /^#[0-9a-fA-F]{6}$/ });
const point = tuple([num(-1e6, 1e6), num(-1e6, 1e6)]);
const box = tuple([num(-1e6, 1e6), num(-1e6, 1e6), num(-1e6, 1e6), num(-1e6, 1e6)]);
const frameRange = tuple([frame, frame]);
const objectIds = arr(id, { max: 10_000 });
const direction = oneOf(['forward', 'backward', 'both'] as const);
const exportFormat = oneOf(['overlay', 'png', 'palette', 'coco', 'yolo', 'mots'] as const);

const rleShape = obj({ h: int(1, 16_384), w: int(1, 16_384), counts: arr(int(0), { max: 50_000_000 }) });
/** An RLE must cover exactly h × w pixels, or every consumer would misread it. */
const rle: Check<{ h: number; w: number; counts: number[] }> = (v, p) => {
  const r = rleShape(v, p);
  let sum = 0;
  for (const c of r.counts) sum += c;
  if (sum !== r.h * r.w) bad(`${p}.counts`, `must add up to h × w = ${r.h * r.w} (got ${sum})`);
  return r;
};

/** CLIP crop options, each optional (the project's value stands in); margin as core/labels/crops.ts allows */
const labelCrop = obj({ margin: opt(num(0, 2)), greyOutside: opt(bool), padSquare: opt(bool) });

/** Point labels: 1 positive, 0 negative; one per point. */
const prompt = obj({
  objectId: id,
  frame,
  points: arr(point, { max: 1000 }),
  labels: arr(int(0, 1), { max: 1000 }),
  box: opt(box),
  clearOld: opt(bool),
});
const promptArgs: Check<MethodArgs<'prompts.add'>> = (v, p) => {
  const a = prompt(v, p);
  if (a.points.length !== a.labels.length) bad(`${p}.labels`, `must have one label per point (${a.points.length} points, ${a.labels.length} labels)`);
  if (a.points.length === 0 && !a.box) bad(`${p}.points`, 'must have at least one point when there is no box');
  return a;
};

const everyN = obj({ every: int(1, MAX_FRAME) });
const importPick: Check<'all' | 'first' | { every: number }> = (v, p) => (v === 'all' || v === 'first' ? v : everyN(v, p));

const redisUrl = str({ nonEmpty: true, max: 2000, pattern: /^rediss?:\/\// });
const batchJobId = str({ nonEmpty: true, max: 100, pattern: /^[A-Za-z0-9_-]+$/ });
const segmentOptions = obj({
  pointsPerSide: opt(int(1, 128)),
  pointsPerBatch: opt(int(1, 1024)),
  predIouThresh: opt(num(0, 1)),
  stabilityScoreThresh: opt(num(0, 1)),
  boxNmsThresh: opt(num(0, 1)),
  cropNLayers: opt(int(0, 3)),
  minMaskRegionArea: opt(int(0)),
  useM2m: opt(bool),
});
const promptsSeed = obj({ kind: oneOf(['prompts'] as const), promptsFile: path });
const segmentSeed = obj({
  kind: oneOf(['segment'] as const),
  frame,
  options: segmentOptions,
  keep: (v, p) => (v === 'all' ? ('all' as const) : int(1, 100_000)(v, p)),
});
const batchSeed: Check<MethodArgs<'batch.submit'>['seed']> = (v, p) => ((v as { kind?: unknown })?.kind === 'segment' ? segmentSeed(v, p) : promptsSeed(v, p));

type Validators = { [M in MethodName]: Check<MethodArgs<M>> };

export const validators: Validators = {
  'app.info': noArgs,
  'app.recentProjects': noArgs,
  'app.revealPath': obj({ path }),
  'dialog.openVideo': noArgs,
  'dialog.chooseFolder': obj({ title: opt(name) }),

  'project.openVideo': obj({ path, projectDir: opt(path) }),
  'project.open': obj({ dir: path }),
  'project.state': noArgs,
  'project.close': noArgs,
  'project.saveView': obj({ frame, zoom: nullable(obj({ scale: num(1e-4, 1e4), tx: num(-1e7, 1e7), ty: num(-1e7, 1e7) })), objectId: nullable(id) }),
  'project.relocateVideo': obj({ path }),

  'objects.add': obj({ name: opt(name), label: opt(name) }),
  'objects.update': obj({ id, name: opt(name), color: opt(color), label: opt(name), hidden: opt(bool), locked: opt(bool) }),
  'objects.remove': obj({ id }),

  'prompts.add': promptArgs,
  'prompts.chooseCandidate': obj({ objectId: id, frame, index: int(0, 16) }),
  'prompts.candidates': obj({ objectId: id, frame }),
  'prompts.addMask': obj({ objectId: id, frame, rle, exclusive: opt(bool) }),
  'prompts.clearFrame': obj({ objectId: id, frame }),

  'history.undo': noArgs,
  'history.redo': noArgs,

  'track.propagate': obj({ frame, direction, range: opt(frameRange), objectIds: opt(objectIds) }),
  'track.repropagateFrom': obj({ frame }),

  'masks.frame': obj({ frame }),
  'masks.tracks': noArgs,

  'jobs.list': noArgs,
  'jobs.cancel': obj({ id: str({ nonEmpty: true, max: 100 }) }),

  'models.list': noArgs,
  'models.catalog': noArgs,
  'models.select': obj({ id: str({ nonEmpty: true, max: 200 }), confirmFamilySwitch: opt(bool) }),
  'engine.setProvider': obj({ provider: oneOf(['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml'] as const) }),
  'models.import': obj({ dir: path }),
  'models.download': obj({ catalogId: str({ nonEmpty: true, max: 200 }) }),

  'annotations.import': obj({
    format: oneOf(['png', 'palette', 'coco', 'yolo', 'mots'] as const),
    path,
    as: opt(oneOf(['prompts', 'fixed'] as const)),
    pick: opt(importPick),
  }),
  'export.run': obj({
    formats: arr(exportFormat, { min: 1, max: 6 }),
    outDir: path,
    frames: opt(frameRange),
    objectIds: opt(objectIds),
    overlay: opt(obj({ perObjectColors: opt(bool), outlines: opt(bool), opacity: opt(num(0, 1)) })),
    png: opt(obj({ skipEmpty: opt(bool) })),
  }),

  'segment.everything': obj({
    frame,
    pointsPerSide: opt(int(1, 128)),
    pointsPerBatch: opt(int(1, 4096)),
    predIouThresh: opt(num(0, 1)),
    stabilityScoreThresh: opt(num(0, 1)),
    boxNmsThresh: opt(num(0, 1)),
    cropNLayers: opt(int(0, 4)),
    minMaskRegionArea: opt(int(0)),
    useM2m: opt(bool),
  }),
  'segment.proposals': obj({ frame }),
  'segment.keep': obj({ frame, proposalIds: arr(int(0), { max: 10_000 }) }),
  'batch.submit': obj({
    redisUrl,
    videos: arr(path, { max: 10_000 }),
    folder: opt(path),
    seed: batchSeed,
    model: opt(nullable(path)),
    formats: arr(exportFormat, { min: 1, max: 6 }),
    outRoot: path,
    force: opt(bool),
  }),
  'batch.status': obj({ redisUrl }),
  'batch.cancel': obj({ redisUrl, ids: arr(batchJobId, { max: 10_000 }) }),
  'batch.retry': obj({ redisUrl, ids: arr(batchJobId, { max: 10_000 }) }),
  'labels.models': noArgs,
  'labels.importModel': obj({ dir: path }),
  'labels.selectModel': obj({ id: str({ nonEmpty: true, max: 200 }), variant: oneOf(['fp32', 'fp16', 'quantized'] as const) }),
  'labels.removeModel': obj({ id: str({ nonEmpty: true, max: 200 }) }),
  'labels.getSet': noArgs,
  'labels.setSet': obj({ labels: arr(name, { max: 1000 }), templates: arr(str({ max: 500 }), { max: 50 }) }),
  'labels.setCrop': obj({ crop: labelCrop }),
  'labels.suggest': obj({ objectId: id, framesPerTrack: opt(int(1, 64)), crop: opt(labelCrop) }),
  'labels.labelAll': obj({ framesPerTrack: opt(int(1, 64)), crop: opt(labelCrop) }),
  'labels.proposals': obj({ frame, crop: opt(labelCrop) }),
  'labels.keepLabel': obj({ frame, label: name, minConfidence: num(0, 1) }),
  'labels.info': noArgs,

  'engine.preencode': obj({ frame }),
  'engine.setPreencode': obj({ enabled: opt(bool), window: opt(int(0, 64)) }),
};

export const METHOD_NAMES = Object.keys(validators) as MethodName[];

const eventNames: Record<EventName, true> = {
  'job.updated': true,
  'masks.updated': true,
  'project.changed': true,
  'project.closed': true,
  'engine.changed': true,
  'tracks.updated': true,
  'segment.proposals': true,
  'engine.preencode': true,
};
export const EVENT_NAMES = Object.keys(eventNames) as EventName[];

export function isMethodName(v: unknown): v is MethodName {
  return typeof v === 'string' && Object.hasOwn(validators, v);
}

/** The adapters' single entry: the method must exist and its arguments must pass its validator. */
export function validateCall(method: unknown, args: unknown): { method: MethodName; args: MethodArgs<MethodName> } {
  if (!isMethodName(method)) {
    throw new ApiCallError(API_CODES.unknownMethod, `unknown API method ${JSON.stringify(String(method).slice(0, 60))}`);
  }
  try {
    return { method, args: validators[method](args, 'args') as MethodArgs<MethodName> };
  } catch (err) {
    if (err instanceof ApiCallError) throw new ApiCallError(err.code, `${method}: ${err.message}`, err.details);
    throw err;
  }
}
