"""params.bin and model.json of a `maskline-sam2` v1 pack."""

import hashlib
import json
import os

import numpy as np

PACK_FORMAT = "maskline-sam2"
PACK_FORMAT_VERSION = 1
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


def manifest(model, dims, name, source, params_index, files, exporter_info):
    cfg = model.config
    md = cfg.mask_decoder_config
    return {
        "format": PACK_FORMAT,
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
        "num_maskmem": dims["num_maskmem"],
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
        "graphs": {g: f"{g}.onnx" for g in GRAPH_NAMES},
        "params": params_index,
        "files": files,
        "exporter": exporter_info,
    }


def write_manifest(out_dir, data):
    path = os.path.join(out_dir, "model.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    return path
