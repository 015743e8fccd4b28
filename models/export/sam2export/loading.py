"""Load a transformers Sam2VideoModel or EdgeTamVideoModel from the Hub or a local folder, in
float32, eval mode, eager attention, with every weight accounted for. The family comes from
config.json's model_type (families.py); EdgeTAM's config is built in edgetam_config.py."""

import json
import os

import torch

from .compat import attribute
from .families import EDGETAM, detect_family

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

def clean(d):
    return {k: v for k, v in d.items() if k not in _GENERIC_CONFIG_KEYS}


def construct(cls, kwargs, what):
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


def build_sam2_config(cfg):
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
    hiera = construct(hiera_cls, clean(backbone), "vision_config.backbone_config")
    vision_cfg = construct(vision_cls, {**clean(vision), "backbone_config": hiera}, "vision_config")
    prompt_cfg = construct(Sam2VideoPromptEncoderConfig, clean(cfg["prompt_encoder_config"]), "prompt_encoder_config")
    decoder_cfg = construct(Sam2VideoMaskDecoderConfig, clean(cfg["mask_decoder_config"]), "mask_decoder_config")
    top = {k: v for k, v in clean(cfg).items() if k not in ("vision_config", "prompt_encoder_config", "mask_decoder_config")}
    config = construct(
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


def read_config(folder):
    """(config.json dict, Family)."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    return cfg, detect_family(cfg)


def load_model(folder):
    """(model, Family) in float32 eval mode; raises if any checkpoint weight is missing."""
    import transformers

    cfg, family = read_config(folder)
    if family is EDGETAM:
        from .edgetam_config import build_edgetam_config

        config = build_edgetam_config(cfg, transformers.__version__)
    else:
        config = build_sam2_config(cfg)
    model_class = attribute(transformers, family.model_class, transformers.__version__, "transformers")
    kwargs = {"config": config, "output_loading_info": True}
    try:
        model, info = model_class.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", **kwargs)
    except TypeError:
        model, info = model_class.from_pretrained(folder, torch_dtype=torch.float32, **kwargs)
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
    return model, family


def model_summary(model, family):
    """The sizes the pack and the checks need, read from the instantiated model."""
    cfg = model.config
    image_size = int(cfg.image_size)
    feat = tuple(int(v) for v in model.backbone_feature_sizes[-1])
    if feat[0] != feat[1] or feat[0] * 16 != image_size:
        raise ValueError(f"unsupported feature map {feat} for image size {image_size} (contract: S/16 square)")
    dims = {
        "family": family.name,
        "image_size": image_size,
        "feat_size": feat[0],
        "hidden_dim": int(model.hidden_dim),
        "mem_dim": int(model.mem_dim),
        "num_maskmem": int(model.num_maskmem),
        "memory_tokens": feat[0] * feat[1],  # tokens per stored memory (T)
    }
    if family is EDGETAM:
        dims["latents_1d"] = int(cfg.perceiver_resampler_num_latents)
        dims["latents_2d"] = int(cfg.perceiver_resampler_num_latents_2d)
        dims["memory_tokens"] = dims["latents_1d"] + dims["latents_2d"]
    return dims


def model_settings(model):
    """The loop settings model.json carries, read from the config (pack_writer.manifest's input)."""
    cfg = model.config
    md = cfg.mask_decoder_config
    return {
        "max_obj_ptrs_in_encoder": int(cfg.max_object_pointers_in_encoder),
        "max_cond_frames_in_attn": int(getattr(cfg, "max_cond_frame_num", -1)),
        "sigmoid_scale_for_mem_enc": float(cfg.sigmoid_scale_for_mem_enc),
        "sigmoid_bias_for_mem_enc": float(cfg.sigmoid_bias_for_mem_enc),
        "multimask_output_in_sam": bool(cfg.multimask_output_in_sam),
        "multimask_min_pt_num": int(cfg.multimask_min_pt_num),
        "multimask_max_pt_num": int(cfg.multimask_max_pt_num),
        "multimask_output_for_tracking": bool(cfg.multimask_output_for_tracking),
        "dynamic_multimask_via_stability": bool(md.dynamic_multimask_via_stability),
        "dynamic_multimask_stability_delta": float(md.dynamic_multimask_stability_delta),
        "dynamic_multimask_stability_thresh": float(md.dynamic_multimask_stability_thresh),
    }
