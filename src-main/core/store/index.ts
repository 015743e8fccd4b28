// Public entry of the project database: one project.sqlite per project folder (WAL, versioned
// migrations), one repository per table, writes in transactions.
export { ProjectStore, openProjectStore, PROJECT_DB_FILE, type OpenStoreOptions } from './project-store';
export { StoreError, type StoreErrorCode } from './errors';
export { SCHEMA_VERSION, APPLICATION_ID, migrations, type Migration } from './schema';
export { judgeSchema, type SchemaVerdict } from './migrate';
export { chooseNativeBinding, nativeBindingOption, ELECTRON_BINDING_RELATIVE, type BindingChoice } from './native-binding';
export { toObjectInfo } from './objects';
export { OBJECT_PALETTE, paletteColor } from '../../shared/palette';
export { toPromptInfo } from './prompts';
export { SETTING_KEYS } from './settings';
export type { VideosRepo } from './videos';
export type { ObjectsRepo } from './objects';
export type { PromptsRepo } from './prompts';
export type { MasksRepo } from './masks';
export type { RunsRepo } from './runs';
export type { SettingsRepo } from './settings';
export type { EngineStateRepo, CondOutput, EngineRow } from './engine-state';
export type { PromptCallsRepo, PromptCall, PromptCallArgs, PromptCallOp } from './prompt-calls';
export type { UndoCellsRepo, Cell, Side } from './undo-cells';
export type { CandidatesRepo, StoredCandidates } from './candidates';
export { packFloats, unpackFloats, packSummary, unpackSummary, packFlags, unpackFlags, type MaskEngineState, type LowResSummary } from './engine-codec';
export type { VideoRow, ObjectRow, NewObject, ObjectPatch, PromptRow, PromptWrite, MaskWrite, StoredMask, RunRow, RunState } from './types';
