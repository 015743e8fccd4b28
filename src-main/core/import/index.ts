export { importAnnotations, readAnnotations, writeAnnotations } from './import-annotations';
export { mapObjects, pickFrames, type ObjectTarget } from './plan';
export {
  IMPORT_FORMATS,
  ImportError,
  type FramePick,
  type ImportFormat,
  type ImportReport,
  type ImportRequest,
  type ImportUse,
  type VideoShape,
} from './types';
