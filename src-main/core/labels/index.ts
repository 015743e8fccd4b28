// Public entry of zero-shot labelling with CLIP (see docs/labels.md). Plain Node: no electron,
// no services.
export {
  readClipFolder,
  availableVariants,
  logitScaleFromConfig,
  parsePreprocessConfig,
  graphPath,
  CLIP_VARIANTS,
  type ClipFolder,
  type ClipVariant,
  type ClipPreprocessConfig,
} from './clip-folder';
export { ClipModel, type ClipOpenOptions } from './clip-model';
export { ClipTokenizer } from './tokenize';
export { resizeAndCrop, pixelValues, shortSideSize } from './preprocess';
export { checkTower, type TowerIo } from './signatures';
export { cropForMask, cropRect, resolveCropOptions, DEFAULT_CROP, FILL_RGB, type CropOptions } from './crops';
export { pickTrackFrames, type TrackFrame } from './track-frames';
export { ZeroShotLabeller, type Scored } from './labeller';
export * from './zero-shot';
export { LabelsError, type LabelsErrorCode } from './errors';
export { labelTracks, type TrackLabel, type TrackLabelSource, type TrackMask, type LabelTracksOptions } from './label-tracks';
export { readLabelSet, writeLabelSet, readLabelCrop, writeLabelCrop, LABEL_SET_KEY } from './project-label-set';
export { readLabelInfo, writeLabelInfo, LABEL_INFO_KEY, type ObjectLabelInfo } from './label-info';
