"""Load a transformers Sam2VideoModel from the Hub or from a local folder, in float32, eval mode,
eager attention, with every weight accounted for."""

import json
import os

import torch

# PretrainedConfig bookkeeping keys that config.to_dict() writes but that are not model settings.
_GENERIC_CONFIG_KEYS = {
    "architectures", "output_hidden_states", "return_dict", "dtype", "torch_dtype",
    "chunk_size_feed_forward", "is_encoder_decoder", "id2label", "label2id", "problem_type",
    "_name_or_path", "model_type", "output_attentions", "transformers_version",
    "_attn_implementation_autoset", "use_return_dict",
}

# The positional-embedding matrix of the prompt encoder is tied to shared_image_embedding and is
# legitimately absent from checkpoints; anything else missing would silently be random.
_ALLOWED_MISSING = {"prompt_encoder.shared_embedding.positional_embedding"}

KNOWN_MODELS = {
    "facebook/sam2.1-hiera-tiny": "SAM 2.1 Hiera Tiny",
    "facebook/sam2.1-hiera-small": "SAM 2.1 Hiera Small",
    "facebook/sam2.1-hiera-base-plus": "SAM 2.1 Hiera Base+",
    "facebook/sam2.1-hiera-large": "SAM 2.1 Hiera Large",
}


def _clean(d):
    return {k: v for k, v in d.items() if k not in _GENERIC_CONFIG_KEYS}


def _construct(cls, kwargs, what):
    """Build a config, dropping keys this transformers version does not know (named in the error)."""
    kwargs = dict(kwargs)
    for _ in range(len(kwargs) + 1):
        try:
            return cls(**kwargs)
        except TypeError as err:
            bad = [k for k in kwargs if f"'{k}'" in str(err)]
            if not bad:
                raise TypeError(f"cannot build {what} ({cls.__name__}): {err}") from err
            for k in bad:
                print(f"  note: {what}: this transformers version does not accept '{k}', dropped")
                kwargs.pop(k)
    raise TypeError(f"cannot build {what} ({cls.__name__})")


def build_config(cfg):
    """Sam2VideoConfig from a config.json dict, with every sub-config built by its own class.

    `Sam2VideoConfig(**d)` turns mask_decoder_config into a prompt-encoder config in transformers
    5.x (see shared/fixtures/README.md), so the dict is never handed over whole.
    """
    import transformers
    from transformers.models.sam2_video.configuration_sam2_video import (
        Sam2VideoConfig,
        Sam2VideoMaskDecoderConfig,
        Sam2VideoPromptEncoderConfig,
    )

    hiera_cls = getattr(transformers, "Sam2HieraDetConfig", None)
    vision_cls = getattr(transformers, "Sam2VisionConfig", None)
    if hiera_cls is None or vision_cls is None:
        from transformers.models.sam2.configuration_sam2 import Sam2HieraDetConfig, Sam2VisionConfig

        hiera_cls, vision_cls = Sam2HieraDetConfig, Sam2VisionConfig

    for key in ("vision_config", "prompt_encoder_config", "mask_decoder_config"):
        if not isinstance(cfg.get(key), dict):
            raise ValueError(f"config.json: '{key}' is missing or not an object; is this a Sam2VideoModel config?")
    vision = dict(cfg["vision_config"])
    backbone = vision.pop("backbone_config", None)
    if not isinstance(backbone, dict):
        raise ValueError("config.json: 'vision_config.backbone_config' is missing or not an object")
    hiera = _construct(hiera_cls, _clean(backbone), "vision_config.backbone_config")
    vision_cfg = _construct(vision_cls, {**_clean(vision), "backbone_config": hiera}, "vision_config")
    prompt_cfg = _construct(Sam2VideoPromptEncoderConfig, _clean(cfg["prompt_encoder_config"]), "prompt_encoder_config")
    decoder_cfg = _construct(Sam2VideoMaskDecoderConfig, _clean(cfg["mask_decoder_config"]), "mask_decoder_config")
    top = {k: v for k, v in _clean(cfg).items() if k not in ("vision_config", "prompt_encoder_config", "mask_decoder_config")}
    config = _construct(
        Sam2VideoConfig,
        {**top, "vision_config": vision_cfg, "prompt_encoder_config": prompt_cfg, "mask_decoder_config": decoder_cfg},
        "Sam2VideoConfig",
    )
    # Guard against the sub-config mix-up coming back in another form.
    if type(config.mask_decoder_config).__name__ != "Sam2VideoMaskDecoderConfig":
        raise RuntimeError(f"mask_decoder_config became {type(config.mask_decoder_config).__name__}")
    if type(config.prompt_encoder_config).__name__ != "Sam2VideoPromptEncoderConfig":
        raise RuntimeError(f"prompt_encoder_config became {type(config.prompt_encoder_config).__name__}")
    return config


def resolve_source(model_id, from_local):
    """Folder holding config.json + *.safetensors: --from-local, or a Hub snapshot of --model."""
    if from_local:
        folder = os.path.abspath(from_local)
        if not os.path.isfile(os.path.join(folder, "config.json")):
            raise FileNotFoundError(f"--from-local {from_local}: no config.json in that folder")
        if not any(n.endswith(".safetensors") for n in os.listdir(folder)):
            raise FileNotFoundError(f"--from-local {from_local}: no *.safetensors weights in that folder")
        return folder
    from huggingface_hub import snapshot_download

    return snapshot_download(model_id, allow_patterns=["config.json", "*.safetensors", "*.safetensors.index.json"])


def force_eager(model):
    """Eager attention everywhere: it is the reference implementation and exports to plain ops."""
    setter = getattr(model, "set_attn_implementation", None)
    if callable(setter):
        try:
            setter("eager")
        except Exception as err:  # older/newer API shapes; fall through to the config fields
            print(f"  note: set_attn_implementation('eager') failed ({err}); setting config fields")
    for cfg in (model.config, model.config.mask_decoder_config, model.config.vision_config):
        try:
            cfg._attn_implementation = "eager"
        except Exception:
            pass
    for module in model.modules():
        cfg = getattr(module, "config", None)
        if cfg is not None and getattr(cfg, "_attn_implementation", "eager") != "eager":
            try:
                cfg._attn_implementation = "eager"
            except Exception:
                pass


def load_model(folder):
    """(model, config dict) in float32 eval mode; raises if any checkpoint weight is missing."""
    from transformers import Sam2VideoModel

    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    config = build_config(cfg)
    kwargs = {"config": config, "output_loading_info": True}
    try:
        model, info = Sam2VideoModel.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", **kwargs)
    except TypeError:
        model, info = Sam2VideoModel.from_pretrained(folder, torch_dtype=torch.float32, **kwargs)
    missing = set(info.get("missing_keys", [])) - _ALLOWED_MISSING
    problems = []
    if missing:
        problems.append(f"missing weights (would be random): {sorted(missing)[:10]}")
    if info.get("unexpected_keys"):
        problems.append(f"unexpected weights: {sorted(info['unexpected_keys'])[:10]}")
    if info.get("mismatched_keys"):
        problems.append(f"shape mismatches: {info['mismatched_keys'][:5]}")
    if problems:
        raise RuntimeError(f"{folder}: checkpoint does not fit the config: " + "; ".join(problems))
    model = model.float().eval()
    shared = model.shared_image_embedding.positional_embedding
    prompt = model.prompt_encoder.shared_embedding.positional_embedding
    if not torch.equal(shared, prompt):
        # the tie is what real checkpoints rely on; make it hold whatever from_pretrained did
        prompt.data.copy_(shared.data)
        print("  note: tied prompt_encoder.shared_embedding.positional_embedding to shared_image_embedding")
    force_eager(model)
    return model, cfg


def model_summary(model):
    """The sizes the pack and the checks need, read from the instantiated model."""
    cfg = model.config
    image_size = int(cfg.image_size)
    feat = tuple(int(v) for v in model.backbone_feature_sizes[-1])
    if feat[0] != feat[1] or feat[0] * 16 != image_size:
        raise ValueError(f"unsupported feature map {feat} for image size {image_size} (contract: S/16 square)")
    return {
        "image_size": image_size,
        "feat_size": feat[0],
        "hidden_dim": int(model.hidden_dim),
        "mem_dim": int(model.mem_dim),
        "num_maskmem": int(model.num_maskmem),
    }
