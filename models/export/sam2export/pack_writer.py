"""params.bin and model.json of a `maskline-sam2` or `maskline-edgetam` v1 pack (numpy only: the
torch side hands over plain arrays and settings, so this file is unit-tested without PyTorch)."""

import hashlib
import json
import os

import numpy as np

PACK_FORMAT_VERSION = 1
PACK_FORMATS = {"sam2": "maskline-sam2", "edgetam": "maskline-edgetam"}
GRAPH_NAMES = ("image_encoder", "mask_decoder", "memory_encoder", "memory_attention")
PARAMS_FILE = "params.bin"


def params_arrays(model, dims):
    """The tensors the engine computes with outside the graphs, in the contract's order and shapes."""
    C, D, K = dims["hidden_dim"], dims["mem_dim"], dims["num_maskmem"]

    def arr(t, shape):
        a = t.detach().float().cpu().numpy().astype("<f4").reshape(shape)
        return np.ascontiguousarray(a)

    tpos = model.temporal_positional_encoding_projection_layer
    if not hasattr(tpos, "weight"):
        raise ValueError("the model has no pointer temporal projection (enable_temporal_pos_encoding_for_object_pointers is off); "
                         "the maskline-sam2 v1 contract needs it")
    return [
        ("no_memory_embedding", arr(model.no_memory_embedding, [C])),
        ("memory_temporal_positional_encoding", arr(model.memory_temporal_positional_encoding, [K, D])),
        ("tpos_proj_weight", arr(tpos.weight, [D, C])),
        ("tpos_proj_bias", arr(tpos.bias, [D])),
        ("no_object_pointer", arr(model.no_object_pointer, [C])),
        ("mask_downsample_weight", arr(model.mask_downsample.weight, [4, 4])),
        ("mask_downsample_bias", arr(model.mask_downsample.bias, [1])),
    ]


def write_params(out_dir, arrays):
    """Concatenates little-endian float32 arrays; returns the model.json "params" index."""
    tensors, offset = {}, 0
    with open(os.path.join(out_dir, PARAMS_FILE), "wb") as f:
        for name, a in arrays:
            f.write(a.tobytes(order="C"))
            tensors[name] = {"offset": offset, "shape": list(a.shape)}
            offset += a.nbytes
    return {"file": PARAMS_FILE, "tensors": tensors}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def files_index(out_dir, names):
    return {n: {"bytes": os.path.getsize(os.path.join(out_dir, n)), "sha256": sha256_file(os.path.join(out_dir, n))} for n in names}


# model.json's loop settings, in the order the contract lists them (values from loading.model_settings)
SETTINGS = (
    "max_obj_ptrs_in_encoder", "max_cond_frames_in_attn", "sigmoid_scale_for_mem_enc", "sigmoid_bias_for_mem_enc",
    "multimask_output_in_sam", "multimask_min_pt_num", "multimask_max_pt_num", "multimask_output_for_tracking",
    "dynamic_multimask_via_stability", "dynamic_multimask_stability_delta", "dynamic_multimask_stability_thresh",
)


def manifest(settings, dims, name, source, params_index, files, exporter_info):
    """model.json. EdgeTAM packs add T, the latent layout and memory_bf16 = false (the transformers
    reference keeps stored memories in float32; edgetam-notes.md 3.4)."""
    missing = [k for k in SETTINGS if k not in settings]
    if missing:
        raise ValueError(f"model settings lack {missing}")
    family = dims["family"]
    if family not in PACK_FORMATS:
        raise ValueError(f"unknown model family {family!r}")
    data = {
        "format": PACK_FORMATS[family],
        "format_version": PACK_FORMAT_VERSION,
        "name": name,
        "source": source,
        "image_size": dims["image_size"],
        "feat_size": dims["feat_size"],
        "hidden_dim": dims["hidden_dim"],
        "mem_dim": dims["mem_dim"],
        # the transformers processor's ImageNet normalisation (not stored in the model config)
        "pixel_mean": [0.485, 0.456, 0.406],
        "pixel_std": [0.229, 0.224, 0.225],
    }
    if family == "edgetam":
        if dims["latents_1d"] + dims["latents_2d"] != dims["memory_tokens"]:
            raise ValueError("memory_tokens must equal latents_1d + latents_2d")
        data.update({
            "memory_tokens_per_frame": dims["memory_tokens"],
            "memory_latents_1d": dims["latents_1d"],
            "memory_latents_2d": dims["latents_2d"],
            "memory_bf16": False,
        })
    data["num_maskmem"] = dims["num_maskmem"]
    data.update({k: settings[k] for k in SETTINGS})
    data.update({
        "graphs": {g: f"{g}.onnx" for g in GRAPH_NAMES},
        "params": params_index,
        "files": files,
        "exporter": exporter_info,
    })
    return data


def write_manifest(out_dir, data):
    path = os.path.join(out_dir, "model.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    return path
