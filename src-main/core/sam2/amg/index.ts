// Automatic mask generation ("segment everything") on a video frame: the one entry other code
// imports. See docs/amg.md.
export { generateMasks, type AmgMask, type AmgProgress, type AmgResult, type AmgRunOptions, type AmgStats } from './generator';
export { AMG_DEFAULTS, resolveAmgOptions, type AmgOptions } from './options';
export { predictorBackend, type AmgBackend, type AmgFeatures } from './backend';
export { cocoRleOf, proposalFileName, sortByArea, toProposalJson, toProposals, type ProposalJson } from './proposals';
export { postprocessSmallRegions } from './postprocess';
