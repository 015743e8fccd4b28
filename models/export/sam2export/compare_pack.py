"""Compare a freshly exported pack with another pack of the same weights (e.g. the micro fixture
pack): manifest fields, params.bin tensors and every graph output on the same random inputs."""

import json
import os

import numpy as np

from .graph_checks import Tally
from .ort_util import ort_session
from .onnx_export import GRAPH_IO, example_inputs

_MANIFEST_FIELDS = (
    "format", "format_version", "image_size", "feat_size", "hidden_dim", "mem_dim", "pixel_mean", "pixel_std",
    "num_maskmem", "max_obj_ptrs_in_encoder", "max_cond_frames_in_attn", "sigmoid_scale_for_mem_enc",
    "sigmoid_bias_for_mem_enc", "multimask_output_in_sam", "multimask_min_pt_num", "multimask_max_pt_num",
    "multimask_output_for_tracking", "dynamic_multimask_via_stability", "dynamic_multimask_stability_delta",
    "dynamic_multimask_stability_thresh",
    # maskline-edgetam only (absent from both maskline-sam2 packs)
    "memory_tokens_per_frame", "memory_latents_1d", "memory_latents_2d", "memory_bf16",
)


def _load(pack_dir):
    with open(os.path.join(pack_dir, "model.json"), encoding="utf-8") as f:
        m = json.load(f)
    raw = np.fromfile(os.path.join(pack_dir, m["params"]["file"]), dtype="<f4")
    params = {}
    for name, t in m["params"]["tensors"].items():
        start = t["offset"] // 4
        params[name] = raw[start : start + int(np.prod(t["shape"]))].reshape(t["shape"])
    return m, params


def compare_packs(ours_dir, other_dir, dims, threads, tolerance, max_pointers):
    ours, our_params = _load(ours_dir)
    other, other_params = _load(other_dir)
    print(f"pack vs {other_dir}:")
    fields_ok = True
    for key in _MANIFEST_FIELDS:
        if ours.get(key) != other.get(key):
            fields_ok = False
            print(f"  model.json {key}: ours {ours.get(key)!r} vs {other.get(key)!r}  DIFFERENT")
    tally = Tally(tolerance)
    for name in sorted(set(our_params) | set(other_params)):
        if name not in our_params or name not in other_params:
            tally.rows.append({"check": f"params {name}", "ok": False, "error": "present in only one pack"})
            print(f"  params {name}: present in only one pack  FAIL")
            continue
        tally.add(f"params.bin {name}", our_params[name], other_params[name])
    cases = {
        "image_encoder": [dict(batch=1)],
        "mask_decoder": [dict(batch=2, points=2), dict(batch=2, points=4)],
        "memory_encoder": [dict(batch=2)],
        "memory_attention": [dict(batch=1, mem_frames=1, pointers=0), dict(batch=1, mem_frames=2, pointers=3),
                             dict(batch=1, mem_frames=dims["num_maskmem"], pointers=max_pointers)],
    }
    for graph, variants in cases.items():
        a = ort_session(os.path.join(ours_dir, ours["graphs"][graph]), threads)
        b = ort_session(os.path.join(other_dir, other["graphs"][graph]), threads)
        for i, kw in enumerate(variants):
            inputs = example_inputs(graph, dims, seed=60 + i, **kw)
            feed = {n: t.numpy() for n, t in zip(GRAPH_IO[graph]["inputs"], inputs)}
            for out_name, x, y in zip(GRAPH_IO[graph]["outputs"], a.run(None, feed), b.run(None, feed)):
                tally.add(f"{graph} {kw} {out_name}", x, y)
    return {"ok": fields_ok and tally.ok(), "manifest_fields_equal": fields_ok, "rows": tally.rows}
