"""The whole tracking loop on a short synthetic clip: the pack (driven by pack_tracker) against the
PyTorch reference's `propagate_in_video_iterator`, IoU per frame printed.

Scenario: object 1 = one positive click on frame 0 (multimask path), object 2 = a box on frame 0
(single-mask path with the stability fallback); forward propagation over the clip; then object 3
= one click on frame T-2 and a reverse propagation from T-2 to 0 (reverse temporal rows and
signed pointer distances, existing objects re-tracked backwards).
"""

import numpy as np
import torch

from .pack_tracker import PackTracker

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def synthetic_clip(size, frames, seed=7):
    """uint8 [T,S,S,3]: textured background, a red disc moving right, a blue square moving down."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    base = np.stack([40 + 60 * xx / size, 50 + 50 * yy / size, 70 + 0 * xx], axis=-1)
    noise = rng.normal(0, 6, size=(size, size, 3)).astype(np.float32)
    clip, centres = [], []
    for t in range(frames):
        img = base + noise
        cx, cy, r = size * (0.25 + 0.4 * t / max(1, frames - 1)), size * 0.35, size * 0.11
        img[(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] = (220, 40, 40)
        sx, sy, half = size * 0.68, size * (0.3 + 0.35 * t / max(1, frames - 1)), size * 0.09
        img[(np.abs(xx - sx) <= half) & (np.abs(yy - sy) <= half)] = (40, 60, 210)
        clip.append(np.clip(img, 0, 255).astype(np.uint8))
        centres.append(((cx, cy), (sx, sy, half)))
    return np.stack(clip), centres


def pixel_values(clip_u8):
    x = clip_u8.astype(np.float32) / np.float32(255.0)
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2)).astype(np.float32)


def session_class(model):
    """The inference-session class of the model's own modeling module (Sam2Video / EdgeTamVideo)."""
    import importlib

    module = importlib.import_module(type(model).__module__)
    name = type(model).__name__.replace("Model", "InferenceSession")
    cls = getattr(module, name, None)
    if cls is None:
        import transformers

        from .compat import UnsupportedTransformers

        raise UnsupportedTransformers(transformers.__version__, f"{module.__name__}.{name}", "class not found")
    return cls


def _reference_session(model, px):
    size = px.shape[-1]
    return session_class(model)(
        video=torch.from_numpy(px), video_height=size, video_width=size,
        inference_device="cpu", inference_state_device="cpu", video_storage_device="cpu", dtype=torch.float32,
    )


def _reference_add(model, session, frame, obj_id, points, labels):
    idx = session.obj_id_to_idx(obj_id)
    session.add_point_inputs(idx, frame, {
        "point_coords": torch.tensor([[points]], dtype=torch.float32),
        "point_labels": torch.tensor([[labels]], dtype=torch.int32),
    })
    session.remove_mask_inputs(idx, frame)
    session.obj_with_new_inputs = [obj_id]
    return model(inference_session=session, frame_idx=frame).pred_masks


def _scenario(centres, frames):
    """Steps of the scenario: ("add", frame, obj, points, labels) and ("propagate", start, reverse)."""
    (dx, dy), (sx, sy, half) = centres[0]
    start = frames - 2
    (rx, ry), _ = centres[start]
    return [
        ("add", 0, 1, [[dx, dy]], [1]),
        ("add", 0, 2, [[sx - 1.3 * half, sy - 1.3 * half], [sx + 1.3 * half, sy + 1.3 * half]], [2, 3]),
        ("propagate", 0, False),
        ("add", start, 3, [[rx, ry]], [1]),
        ("propagate", start, True),
    ]


@torch.no_grad()
def _run_reference(model, px, steps):
    """[(pass label, frame, {obj_id: low-res logits})] from the PyTorch reference, in output order."""
    session = _reference_session(model, px)
    obj_ids, out = [], []

    def record(label, frame, masks):
        masks = masks.detach().float().numpy().reshape(len(obj_ids), *masks.shape[-2:])
        out.append((label, frame, {o: masks[i] for i, o in enumerate(obj_ids)}))

    for step in steps:
        if step[0] == "add":
            _, frame, obj, pts, lbls = step
            obj_ids.append(obj)
            record("add", frame, _reference_add(model, session, frame, obj, pts, lbls))
        else:
            _, start, reverse = step
            for o in model.propagate_in_video_iterator(session, start_frame_idx=start, reverse=reverse):
                record("reverse" if reverse else "forward", o.frame_idx, o.pred_masks)
    return out


def _run_pack(tracker, steps):
    out = []
    for step in steps:
        if step[0] == "add":
            _, frame, obj, pts, lbls = step
            out.append(("add", frame, tracker.add_points(frame, obj, pts, lbls)))
        else:
            _, start, reverse = step
            out.extend(("reverse" if reverse else "forward", f, masks) for f, masks in tracker.propagate(start, reverse=reverse))
    return out


def _iou(a, b):
    a, b = a > 0, b > 0
    union = np.count_nonzero(a | b)
    return 1.0 if union == 0 else np.count_nonzero(a & b) / union


def _compare(reference, ours, min_iou):
    if [(r[0], r[1]) for r in reference] != [(o[0], o[1]) for o in ours]:
        raise RuntimeError("the pack loop visited other frames than the reference: "
                           f"{[(r[0], r[1]) for r in reference]} vs {[(o[0], o[1]) for o in ours]}")
    rows = []
    for (label, frame, want), (_, _, got) in zip(reference, ours):
        ious = {o: _iou(want[o], got[o]) for o in want}
        diffs = {o: float(np.max(np.abs(want[o].astype(np.float64) - got[o]))) for o in want}
        rows.append({"pass": label, "frame": frame, "iou": ious, "max_abs_diff": diffs})
        iou_txt = " ".join(f"obj{o}:{v:.5f}" for o, v in ious.items())
        print(f"  {label:8s} frame {frame:3d}  IoU {iou_txt}   max|diff| {max(diffs.values()):.2e}")
    worst = min(min(r["iou"].values()) for r in rows)
    ok = worst >= min_iou
    print(f"  worst IoU {worst:.5f} (need >= {min_iou}) {'ok' if ok else 'FAIL'}")
    return {"ok": ok, "worst_iou": worst, "frames": rows}


def check_loop(model, pack_dir, frames, threads, memory_attention_files, min_iou=0.99):
    """memory_attention_files: {variant label: graph file}; the reference runs once for all."""
    size = int(model.config.image_size)
    clip, centres = synthetic_clip(size, frames)
    px = pixel_values(clip)
    steps = _scenario(centres, frames)
    print(f"tracking loop, {frames} synthetic frames of {size}x{size}: PyTorch reference ...")
    reference = _run_reference(model, px, steps)
    results = {}
    for variant, path in memory_attention_files.items():
        print(f"tracking loop, pack with memory attention [{variant}] vs the reference:")
        tracker = PackTracker(pack_dir, threads, path)
        tracker.set_video(px)
        results[variant] = _compare(reference, _run_pack(tracker, steps), min_iou)
    return results
