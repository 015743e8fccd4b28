"""The model families the exporter knows, told apart by config.json's `model_type` (torch-free).

SAM 2.1 (`Sam2VideoModel`) and EdgeTAM (`EdgeTamVideoModel`) share the prompt encoder, mask decoder,
pointers and memory rules; EdgeTAM swaps the image encoder for RepViT and compresses each stored
memory with a spatial perceiver (shared/docs/edgetam-notes.md). The pack format follows the family.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str  # "sam2" | "edgetam"
    model_type: str  # config.json "model_type"
    pack_format: str  # model.json "format"
    model_class: str  # transformers class name


SAM2 = Family("sam2", "sam2_video", "maskline-sam2", "Sam2VideoModel")
EDGETAM = Family("edgetam", "edgetam_video", "maskline-edgetam", "EdgeTamVideoModel")
FAMILIES = {f.model_type: f for f in (SAM2, EDGETAM)}

# Hub ids --model accepts without --from-local, with the name the pack gets in the app.
KNOWN_MODELS = {
    "facebook/sam2.1-hiera-tiny": "SAM 2.1 Hiera Tiny",
    "facebook/sam2.1-hiera-small": "SAM 2.1 Hiera Small",
    "facebook/sam2.1-hiera-base-plus": "SAM 2.1 Hiera Base+",
    "facebook/sam2.1-hiera-large": "SAM 2.1 Hiera Large",
    "facebook/EdgeTAM": "EdgeTAM",
}


def detect_family(config):
    """The Family of a config.json dict; a clear error for anything else."""
    model_type = config.get("model_type") if isinstance(config, dict) else None
    family = FAMILIES.get(model_type)
    if family is None:
        known = ", ".join(f"'{t}' ({f.model_class})" for t, f in FAMILIES.items())
        raise ValueError(f"config.json: model_type {model_type!r} is not one the exporter knows ({known})")
    return family
