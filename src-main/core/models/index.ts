// Public entry of model-pack management: where packs live, what is installed, the catalog,
// downloading and importing. The pack format itself is the engine's (core/sam2/manifest, pack).
export { modelsFolders, installFolder, type ModelsFolder, type ModelsFolderOptions, type PackOrigin } from './paths';
export { listPacks, findInstalled, type InstalledPackInfo, type ListPacksOptions } from './registry';
export { loadCatalogs, parseCatalog, findEntry, catalogSummary, CATALOG_VERSION, type CatalogEntry, type CatalogFile } from './catalog';
export { makeCatalogEntry, type CatalogEntryOptions } from './catalog-entry';
export { downloadPack, type DownloadPackOptions, type DownloadProgress, type InstalledPack } from './download';
export { importPack, type ImportPackOptions } from './import';
export { validatePackDir, type PackValidator, type ValidatedPack, type ValidateOptions } from './validate';
export { removeReplacedLeftovers } from './install';
export { ModelsError, type ModelsErrorCode, type ModelsErrorDetails } from './errors';
export { sanitizeId, packIdFromManifest } from './ids';
export { labelModelsFolder, listLabelModels, importLabelModel, validateClipFolder, readActiveLabelModel, writeActiveLabelModel, clearActiveLabelModel, type LabelModelInfo, type ActiveLabelModel, type ImportLabelModelOptions } from './label-models';
export { removeLabelModel, installedByApp, LABEL_MODEL_MANIFEST } from './label-model-install';
export { familyInfo, familyOfFormat, familySwitchNotice } from './families';
export { PackSpeedStore } from './pack-speed';
