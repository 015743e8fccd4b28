"""EdgeTamVideoConfig from a config.json dict, offline and with the RepViT tower the checkpoint has.

transformers 5.17 quirks this avoids (shared/docs/edgetam-notes.md 3.5):
- `EdgeTamVideoConfig()` without a vision config builds a SAM 2 Hiera tower: a config.json without
  one gets the documented RepViT-M1 vision config instead, and one naming another tower is refused;
- `EdgeTamVisionConfig()` without a backbone config fetches timm's config from the Hub (also from
  repr/to_diff_dict): the backbone config is always built here from the dict, as a TimmWrapperConfig;
- timm imports torchvision at import time: a missing or broken timm stops the export with a message.
"""

import importlib

from .compat import UnsupportedTransformers
from .loading import clean, construct

# EdgeTAM's image encoder as released (facebook/EdgeTAM): timm RepViT-M1, four levels.
REPVIT_BACKBONE = {
    "architecture": "repvit_m1.dist_in1k",
    "do_pooling": False,
    "model_args": {"in_chans": 3, "features_only": True, "out_indices": [0, 1, 2, 3]},
}
REPVIT_VISION = {
    "model_type": "edgetam_vision_model",
    "backbone_channel_list": [384, 192, 96, 48],
    "backbone_feature_sizes": [[256, 256], [128, 128], [64, 64]],
}
_TIMM_BOOKKEEPING = {"num_classes", "label_names", "num_labels"}  # classifier-head fields, unused with features_only


def _class(version, *places):
    """The first of `module:Name` places that exists (top-level export, then the model's module)."""
    for place in places:
        module_name, name = place.split(":")
        try:
            found = getattr(importlib.import_module(module_name), name, None)
        except ImportError:
            found = None
        if found is not None:
            return found
    raise UnsupportedTransformers(version, " or ".join(places), "class not found")


def require_timm():
    try:
        import timm  # noqa: F401  (only whether it imports matters here)
    except Exception as err:
        raise RuntimeError(
            "EdgeTAM's RepViT image encoder needs timm, and timm imports torchvision: install both "
            f"(pip install -r models/export/requirements.txt; torchvision must match torch). Import failed: {err}"
        ) from err


def build_edgetam_config(cfg, version):
    require_timm()
    timm_cls = _class(version, "transformers:TimmWrapperConfig",
                      "transformers.models.timm_wrapper.configuration_timm_wrapper:TimmWrapperConfig")
    vision_cls = _class(version, "transformers:EdgeTamVisionConfig",
                        "transformers.models.edgetam.configuration_edgetam:EdgeTamVisionConfig")
    video_module = "transformers.models.edgetam_video.configuration_edgetam_video"
    video_cls = _class(version, f"{video_module}:EdgeTamVideoConfig")
    prompt_cls = _class(version, f"{video_module}:EdgeTamVideoPromptEncoderConfig")
    decoder_cls = _class(version, f"{video_module}:EdgeTamVideoMaskDecoderConfig")

    vision = cfg.get("vision_config")
    if vision is None:
        print("  note: config.json has no vision_config; using EdgeTAM's RepViT-M1 tower (not transformers' Hiera default)")
        vision = dict(REPVIT_VISION)
    if not isinstance(vision, dict) or vision.get("model_type", "edgetam_vision_model") != "edgetam_vision_model":
        kind = vision.get("model_type") if isinstance(vision, dict) else type(vision).__name__
        raise ValueError(f"config.json: vision_config is {kind!r}; an EdgeTAM checkpoint has an 'edgetam_vision_model' (RepViT) tower")
    vision = dict(vision)
    backbone = vision.pop("backbone_config", None)
    if backbone is None:
        print("  note: vision_config has no backbone_config; using timm repvit_m1.dist_in1k (offline, no Hub lookup)")
        backbone = dict(REPVIT_BACKBONE)
    if not isinstance(backbone, dict) or not backbone.get("architecture"):
        raise ValueError("config.json: vision_config.backbone_config must be a timm wrapper config with an 'architecture'")
    timm_kwargs = {k: v for k, v in clean(backbone).items() if k not in _TIMM_BOOKKEEPING}
    timm_cfg = construct(timm_cls, timm_kwargs, "vision_config.backbone_config")
    vision_cfg = construct(vision_cls, {**clean(vision), "backbone_config": timm_cfg}, "vision_config")
    subs = {}
    for key, cls in (("prompt_encoder_config", prompt_cls), ("mask_decoder_config", decoder_cls)):
        if not isinstance(cfg.get(key), dict):
            raise ValueError(f"config.json: '{key}' is missing or not an object; is this an EdgeTamVideoModel config?")
        subs[key] = construct(cls, clean(cfg[key]), key)
    top = {k: v for k, v in clean(cfg).items() if k not in ("vision_config", "prompt_encoder_config", "mask_decoder_config")}
    config = construct(video_cls, {**top, "vision_config": vision_cfg, **subs}, "EdgeTamVideoConfig")
    if type(config.vision_config).__name__ != vision_cls.__name__:
        raise RuntimeError(f"vision_config became {type(config.vision_config).__name__}, not {vision_cls.__name__}")
    if type(config.mask_decoder_config).__name__ != decoder_cls.__name__:
        raise RuntimeError(f"mask_decoder_config became {type(config.mask_decoder_config).__name__}")
    return config
