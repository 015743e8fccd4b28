"""A pack-only tracking loop in numpy over onnxruntime: what the app's engine does with a pack,
written once more in Python so the exporter can compare a fresh pack with the PyTorch
reference (`propagate_in_video_iterator`) without Node.

It follows the transformers (profile H) call structure, because that is the reference it is
compared with: every `forward(frame)` visits all objects, prompted objects on a new frame become
conditioning frames, memory is encoded right away (binarized when the object had prompts).
Both pack formats: a stored memory is T tokens (h*w for maskline-sam2, memory_tokens_per_frame for
maskline-edgetam, which returns them token-major), rounded to bfloat16 only when memory_bf16
(absent = true, as for every maskline-sam2 pack).
"""

import json
import os

import numpy as np

from .ort_util import ort_session

NO_OBJ_SCORE = np.float32(-1024.0)


def bf16_round(a):
    """Round float32 to bfloat16 precision (nearest even), kept as float32: the reference stores memories in bf16."""
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    u = (u + 0x7FFF + ((u >> 16) & 1)) & 0xFFFF0000
    out = u.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(a), a, out).astype(np.float32)


def sine_pe_1d(positions, dim):
    """get_1d_sine_pe: sines block then cosines block, float32 throughout."""
    half = dim // 2
    dim_t = np.arange(half, dtype=np.float32)
    dim_t = np.float32(10000.0) ** (np.float32(2.0) * np.floor(dim_t / np.float32(2.0)) / np.float32(half))
    pos = positions.astype(np.float32)[:, None] / dim_t[None, :]
    return np.concatenate([np.sin(pos), np.cos(pos)], axis=-1).astype(np.float32)


class _Obj:
    def __init__(self):
        self.cond, self.noncond, self.tracked = {}, {}, {}


class PackTracker:
    def __init__(self, pack_dir, threads=2, memory_attention_file=None):
        with open(os.path.join(pack_dir, "model.json"), encoding="utf-8") as f:
            self.m = json.load(f)
        m = self.m
        raw = np.fromfile(os.path.join(pack_dir, m["params"]["file"]), dtype="<f4")
        self.p = {}
        for name, t in m["params"]["tensors"].items():
            start = t["offset"] // 4
            self.p[name] = raw[start : start + int(np.prod(t["shape"]))].reshape(t["shape"])
        graphs = dict(m["graphs"])
        self.s = {g: ort_session(os.path.join(pack_dir, f), threads) for g, f in graphs.items()}
        if memory_attention_file:
            self.s["memory_attention"] = ort_session(memory_attention_file, threads)
        self.S, self.h = m["image_size"], m["feat_size"]
        self.C, self.D = m["hidden_dim"], m["mem_dim"]
        self.memory_bf16 = bool(m.get("memory_bf16", True))
        self.objects = {}
        self.features = []
        self.num_frames = 0

    # ---------- graphs ----------
    def set_video(self, pixel_values):
        """pixel_values [T,3,S,S] float32, already normalised."""
        self.features = []
        for frame in pixel_values:
            s0, s1, vf, vp = self.s["image_encoder"].run(None, {"pixel_values": frame[None].astype(np.float32)})
            self.features.append({"s0": s0, "s1": s1, "vf": vf, "vp": vp})
        self.num_frames = len(self.features)

    def _decode(self, embed, feats, coords, labels):
        out = self.s["mask_decoder"].run(None, {
            "image_embed": embed, "feat_s0": feats["s0"], "feat_s1": feats["s1"],
            "point_coords": np.asarray(coords, dtype=np.float32)[None],
            "point_labels": np.asarray(labels, dtype=np.int32)[None],
            "mask_input": np.zeros((1, 1, 4 * self.h, 4 * self.h), dtype=np.float32),
            "has_mask_input": np.zeros((1,), dtype=np.float32),
        })
        return [o[0] for o in out]

    def _encode_memory(self, feats, mask, score, binarize):
        mem, pos = self.s["memory_encoder"].run(None, {
            "vision_feat": feats["vf"], "mask_logits": mask[None, None].astype(np.float32),
            "object_score_logits": np.array([[score]], dtype=np.float32),
            "binarize": np.array([1.0 if binarize else 0.0], dtype=np.float32),
        })
        return (bf16_round(mem[0]) if self.memory_bf16 else mem[0]), pos[0]

    # ---------- decisions ----------
    def _select(self, masks, iou, pointers, multimask):
        m = self.m
        best = 1 + int(np.argmax(iou[1:]))
        if multimask:
            return masks[best], pointers[best]
        mask = masks[0]
        if m["dynamic_multimask_via_stability"]:
            delta = np.float32(m["dynamic_multimask_stability_delta"])
            area_i = np.float32(np.count_nonzero(mask > delta))
            area_u = np.float32(np.count_nonzero(mask > -delta))
            stability = area_i / area_u if area_u > 0 else np.float32(1.0)
            if not stability >= np.float32(m["dynamic_multimask_stability_thresh"]):
                mask = masks[best]
        return mask, pointers[0]  # single-mask mode always takes token 0's pointer

    def _memory_conditioned(self, st, f, reverse, feats):
        D, C, hw = self.D, self.C, self.h * self.h

        def tokens(a):  # [D, h, w] (maskline-sam2) or already token-major [T, D] (maskline-edgetam)
            return a.reshape(D, -1).T if a.ndim == 3 else a

        tpos = self.p["memory_temporal_positional_encoding"]
        entries = [(0, out) for out in st.cond.values()]
        for t_rel in range(self.m["num_maskmem"] - 1, 0, -1):
            entries.append((t_rel, st.noncond.get(f + t_rel if reverse else f - t_rel)))
        mem, pos = [], []
        for t_rel, out in entries:
            if out is None:
                continue
            mem.append(tokens(out["mem"]))
            pos.append(tokens(out["pos"]) + tpos[t_rel - 1])  # t_rel 0 -> last row
        max_ptr = min(self.num_frames, self.m["max_obj_ptrs_in_encoder"])
        ptrs = [((f - t) * (-1 if reverse else 1), out["ptr"]) for t, out in st.cond.items() if (t >= f if reverse else t <= f)]
        for d in range(1, max_ptr):
            r = f + d if reverse else f - d
            if r < 0 or r >= self.num_frames:
                break
            if r in st.noncond:
                ptrs.append((d, st.noncond[r]["ptr"]))
        n_tokens = 0
        if ptrs:
            rel = np.array([d for d, _ in ptrs], dtype=np.float32) / np.float32(max_ptr - 1)
            proj = sine_pe_1d(rel, C) @ self.p["tpos_proj_weight"].T + self.p["tpos_proj_bias"]
            split = C // D
            mem.append(np.stack([p for _, p in ptrs]).reshape(len(ptrs) * split, D))
            pos.append(np.repeat(proj.astype(np.float32), split, axis=0))
            n_tokens = len(ptrs) * split
        (out,) = self.s["memory_attention"].run(None, {
            "current_features": feats["vf"].reshape(C, hw).T[None].copy(),
            "current_pos": feats["vp"].reshape(C, hw).T[None].copy(),
            "memory": np.concatenate(mem).astype(np.float32)[None],
            "memory_pos": np.concatenate(pos).astype(np.float32)[None],
            "num_object_pointer_tokens": np.array(n_tokens, dtype=np.int64),
        })
        return out

    def _step(self, st, f, is_init, points, reverse):
        m, feats = self.m, self.features[f]
        if is_init:
            embed = feats["vf"] + self.p["no_memory_embedding"][None, :, None, None]
        else:
            embed = self._memory_conditioned(st, f, reverse, feats)
        if points is None:
            coords, labels, num_pts = [[0, 0], [0, 0]], [-1, -1], 0
        else:
            coords, labels, num_pts = list(points[0]) + [[0, 0]], list(points[1]) + [-1], len(points[1])
        multimask = (m["multimask_output_in_sam"] and (is_init or m["multimask_output_for_tracking"])
                     and m["multimask_min_pt_num"] <= num_pts <= m["multimask_max_pt_num"])
        masks, iou, score, pointers = self._decode(embed.astype(np.float32), feats, coords, labels)
        mask, ptr = self._select(masks, iou, pointers, multimask)
        score = float(score[0])
        if not score > 0:
            mask = np.full_like(mask, NO_OBJ_SCORE)
        mem, pos = self._encode_memory(feats, mask, score, binarize=points is not None)
        return {"pred": mask, "ptr": ptr, "score": score, "mem": mem, "pos": pos}

    # ---------- the reference's call structure ----------
    def forward(self, f, reverse=False, new_inputs=None):
        """One `Sam2VideoModel.forward(session, frame_idx=f)`; returns {obj_id: low-res logits}."""
        new_inputs = dict(new_inputs or {})
        result = {}
        for obj_id, st in self.objects.items():
            has_new = obj_id in new_inputs
            if not has_new and f in st.cond:
                result[obj_id], is_init = st.cond[f]["pred"], True
            else:
                is_init, points = False, None
                if has_new:
                    is_init = f not in st.tracked
                    if is_init:
                        reverse = False  # the reference rebinds its loop variable here, for later objects too
                    points = new_inputs.pop(obj_id)
                out = self._step(st, f, is_init, points, reverse)
                (st.cond if is_init else st.noncond)[f] = out
                result[obj_id] = out["pred"]
            if not is_init:
                st.tracked[f] = reverse
        return result

    def add_points(self, f, obj_id, points, labels):
        """Points in S x S input pixels (no +0.5), labels 1/0/2/3."""
        self.objects.setdefault(obj_id, _Obj())
        return self.forward(f, new_inputs={obj_id: (points, labels)})

    def propagate(self, start, reverse=False):
        order = range(start, -1, -1) if reverse else range(start, self.num_frames)
        if reverse and start == 0:
            order = []
        for f in order:
            yield f, self.forward(f, reverse=reverse)
