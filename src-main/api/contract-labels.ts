// The labels part of the API contract (zero-shot CLIP, docs/labels.md): label models, label sets
// with their crop options, suggestions and proposal labels. Plain data; contract.ts re-exports it.

export type LabelModelVariant = 'fp32' | 'fp16' | 'quantized';

export interface LabelModelSummary {
  id: string;
  dir: string;
  name: string;
  /** variants with both towers present, fp32 first */
  variants: LabelModelVariant[];
  /** bytes of each variant's two graphs */
  variantBytes: Partial<Record<LabelModelVariant, number>>;
  /** the app imported it (it may remove it); false for a folder put in the label-models folder by hand */
  installedByApp: boolean;
  problem: string | null;
}

export interface LabelModelsState {
  models: LabelModelSummary[];
  /** the model and variant labelling uses: the open project's choice, else the app's last choice, else the first usable */
  active: { id: string; variant: LabelModelVariant } | null;
}

/** What CLIP sees for a mask: its bounding box, with these options (docs/labels.md, Crops). */
export interface LabelCrop {
  /** border per side, a fraction of the box's width/height (0: the tutorial's tight box), 0…2 */
  margin: number;
  /** pixels outside the mask become CLIP's mean colour */
  greyOutside: boolean;
  /** pad to a square before CLIP's centre crop, so long objects are not cut */
  padSquare: boolean;
}

export interface LabelSetInfo {
  labels: string[];
  /** prompt templates with {label}; several are averaged */
  templates: string[];
  /** the project's crop options, kept with its label set (labels.setCrop) */
  crop: LabelCrop;
}

export interface LabelScore {
  label: string;
  probability: number;
}

export interface LabelSuggestion {
  objectId: number;
  /** best first */
  top: LabelScore[];
  /** frames whose crops were used, most confident first */
  frames: number[];
  /** the crop options used */
  crop: LabelCrop;
}

/** What the last labelling of an object said (labels.info). */
export interface ObjectLabelRecord {
  label: string;
  confidence: number;
  top: LabelScore[];
  /** frames whose crops were used, most confident first */
  frames: number[];
  /** the model's name */
  model: string;
  /** the crop options used (absent in records written before they were recorded) */
  crop?: LabelCrop;
}

export interface ProposalLabel {
  proposalId: number;
  label: string;
  confidence: number;
  top: LabelScore[];
}
