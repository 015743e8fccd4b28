"""Each exported graph against the PyTorch reference on random inputs (max abs diff printed)."""

import numpy as np
import torch

from . import references as ref
from .onnx_export import example_inputs
from .ort_util import ort_session


def run(session, names, tensors):
    feed = {n: (t.numpy() if isinstance(t, torch.Tensor) else t) for n, t in zip(names, tensors)}
    return session.run(None, feed)


class Tally:
    """Collects (label, max abs diff, scale) rows and decides pass/fail with a scale-relative tolerance."""

    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.rows = []

    def add(self, label, got, want):
        got = np.asarray(got, dtype=np.float64)
        want = want.detach().double().numpy() if isinstance(want, torch.Tensor) else np.asarray(want, dtype=np.float64)
        if got.shape != want.shape:
            self.rows.append({"check": label, "ok": False, "error": f"shape {got.shape} != reference {want.shape}"})
            print(f"  {label:58s} SHAPE MISMATCH {got.shape} vs {want.shape}")
            return
        diff = float(np.max(np.abs(got - want))) if got.size else 0.0
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        ok = bool(np.isfinite(diff) and diff <= self.tolerance * max(1.0, scale))
        self.rows.append({"check": label, "max_abs_diff": diff, "ref_max_abs": scale, "ok": ok})
        print(f"  {label:58s} max|diff| {diff:.3e}  (ref max {scale:.3g}) {'ok' if ok else 'FAIL'}")

    def ok(self):
        return all(r["ok"] for r in self.rows)


def check_image_encoder(model, dims, path, tally, threads):
    session = ort_session(path, threads)
    for batch in (1, 2):
        (px,) = example_inputs("image_encoder", dims, batch=batch, seed=10 + batch)
        got = run(session, ["pixel_values"], [px])
        want = ref.image_encoder(model, px)
        for name, g, w in zip(["feat_s0", "feat_s1", "vision_feat", "vision_pos"], got, want):
            tally.add(f"image_encoder N={batch} {name}", g, w)


def check_mask_decoder(model, dims, path, tally, threads):
    session = ort_session(path, threads)
    names = ["image_embed", "feat_s0", "feat_s1", "point_coords", "point_labels", "mask_input", "has_mask_input"]
    for points in (2, 5):  # one click + padding; box + two clicks + padding
        inputs = example_inputs("mask_decoder", dims, batch=3, points=points, seed=20 + points)
        got = run(session, names, inputs)
        emb, s0, s1, coords, labels, mask_in, has_mask = inputs
        for b in range(emb.shape[0]):
            want = ref.mask_decoder_row(model, emb[b], s0[b], s1[b], coords[b, :-1], labels[b, :-1], mask_in[b], has_mask[b] > 0.5)
            tag = f"mask_decoder P={points} row {b} mask={'yes' if has_mask[b] > 0.5 else 'no'}"
            for name, g, w in zip(["low_res_masks", "iou_scores", "object_score_logits", "object_pointers"], got, want):
                tally.add(f"{tag} {name}", g[b], w)


def check_memory_encoder(model, dims, path, tally, threads):
    session = ort_session(path, threads)
    names = ["vision_feat", "mask_logits", "object_score_logits", "binarize"]
    inputs = list(example_inputs("memory_encoder", dims, batch=3, seed=30))
    inputs[2] = torch.tensor([[1.5], [-0.7], [0.3]])  # present, absent (occlusion embedding), present
    feats, pos = run(session, names, inputs)
    for b in range(3):
        want_f, want_p, want_bf16 = ref.memory_encoder_row(model, inputs[0][b], inputs[1][b], inputs[2][b], inputs[3][b] > 0.5,
                                                           dims["family"])
        tag = f"memory_encoder row {b} binarize={int(inputs[3][b] > 0.5)} score={float(inputs[2][b]):+.1f}"
        tally.add(f"{tag} maskmem_features", feats[b], want_f)
        tally.add(f"{tag} maskmem_pos_enc", pos[b], want_p)
        if want_bf16 is None:
            continue  # EdgeTAM's reference keeps memories in float32 (model.json memory_bf16 = false)
        as_bf16 = torch.from_numpy(feats[b]).to(torch.bfloat16).float()
        mismatched = float((as_bf16 != want_bf16.float()).float().mean())
        print(f"  {tag} bf16-rounded features differ from _encode_new_memory on {mismatched:.2e} of elements")


def memory_sizes(dims, max_pointers):
    """(memory frames, pointers) pairs, including P = 0 and a full bank."""
    full = (dims["num_maskmem"], max_pointers)
    return [(1, 0), (1, 1), (3, 4), full]


def check_memory_attention(model, dims, path, tally, threads, label, max_pointers):
    session = ort_session(path, threads)
    names = ["current_features", "current_pos", "memory", "memory_pos", "num_object_pointer_tokens"]
    for frames, pointers in memory_sizes(dims, max_pointers):
        inputs = example_inputs("memory_attention", dims, batch=1, mem_frames=frames, pointers=pointers, seed=40 + frames + pointers)
        (got,) = run(session, names, inputs)
        want = ref.memory_attention_row(model, *(t[0] for t in inputs[:4]), inputs[4], dims["memory_tokens"])
        m = inputs[2].shape[1]
        tally.add(f"memory_attention[{label}] frames={frames} pointers={pointers} (M={m})", got[0], want)
    # two objects in one call must equal two single calls (dynamic batch, per-row pointer exclusion)
    inputs = example_inputs("memory_attention", dims, batch=2, mem_frames=2, pointers=2, seed=50)
    (got,) = run(session, names, inputs)
    for b in range(2):
        want = ref.memory_attention_row(model, *(t[b] for t in inputs[:4]), inputs[4], dims["memory_tokens"])
        tally.add(f"memory_attention[{label}] batch row {b}", got[b], want)


def check_all(model, dims, paths, threads, tolerance, max_pointers):
    """paths: graph name -> file (memory_attention may map to several variants: name -> {variant: file})."""
    tally = Tally(tolerance)
    print("graph parity against the PyTorch modules (CPU, float32):")
    check_image_encoder(model, dims, paths["image_encoder"], tally, threads)
    check_mask_decoder(model, dims, paths["mask_decoder"], tally, threads)
    check_memory_encoder(model, dims, paths["memory_encoder"], tally, threads)
    for variant, path in paths["memory_attention"].items():
        check_memory_attention(model, dims, path, tally, threads, variant, max_pointers)
    return tally
