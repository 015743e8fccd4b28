"""pack_tracker.py, the loop the exporter's loop check drives, replays the PyTorch goldens of both
micro fixtures with the fixture packs: SAM 2.1 (bf16 memories of h*w tokens) and EdgeTAM
(float32 memories of T = 28 perceiver tokens). onnxruntime-node stands in for the onnxruntime
Python package (tests/ort_node_shim.py). Strict procedure of ../shared/fixtures/README.md:
S x S frames, prompts scaled to S; low-res logits within 1e-3 and IoU >= 0.999 per frame."""

import json
import os
import unittest

from tests import support

SKIP = support.missing("numpy")
if not SKIP:
    import numpy as np

    from tests import ort_node_shim

    SKIP = ort_node_shim.unavailable()


def _fixture(name):
    folder = os.path.join(support.SHARED, "fixtures", name)
    return folder if os.path.isfile(os.path.join(folder, "golden", "golden.json")) else None


class Golden:
    def __init__(self, folder):
        self.dir = os.path.join(folder, "golden")
        with open(os.path.join(self.dir, "golden.json"), encoding="utf-8") as f:
            self.meta = json.load(f)
        self.index = {a["name"]: a for a in self.meta["arrays"]}

    def array(self, name):
        a = self.index[name]
        with open(os.path.join(self.dir, a["file"]), "rb") as f:
            f.seek(a["offset"])
            raw = f.read(a["nbytes"])
        return np.frombuffer(raw, dtype=np.dtype(a["dtype"]).newbyteorder("<")).reshape(a["shape"])

    def pixel_values(self):
        """The reference's preprocessing of the S x S frames: (u8 - 255 mean) / (255 std)."""
        pre = self.meta["preprocess"]
        u8 = self.array("video/resized_rgb_u8").astype(np.float32)
        mean = np.float32(255.0) * np.array(pre["image_mean"], dtype=np.float32)
        std = np.float32(255.0) * np.array(pre["image_std"], dtype=np.float32)
        return np.ascontiguousarray(((u8 - mean) / std).transpose(0, 3, 1, 2)).astype(np.float32)


def _prompt(prompt, sx, sy):
    """(points, labels) in S x S pixels: a box becomes labels 2, 3 before any clicks."""
    points, labels = [], []
    if "box" in prompt:
        x0, y0, x1, y1 = prompt["box"]
        points += [[x0 * sx, y0 * sy], [x1 * sx, y1 * sy]]
        labels += [2, 3]
    for (x, y), label in zip(prompt.get("points", []), prompt.get("labels", [])):
        points.append([x * sx, y * sy])
        labels.append(label)
    return points, labels


def replay(fixture, scenario):
    from sam2export.pack_tracker import PackTracker

    golden = Golden(fixture)
    video = golden.meta["video"]
    size = golden.meta["preprocess"]["size"]
    sx, sy = size / video["W"], size / video["H"]
    spec = golden.meta["scenarios"][scenario]
    tracker = PackTracker(os.path.join(fixture, "pack"), threads=2)
    px = golden.pixel_values()
    np.testing.assert_allclose(px[0], golden.array("video/pixel_values_frame0"), atol=1e-6)
    tracker.set_video(px)
    for prompt in spec["prompts"]:
        points, labels = _prompt(prompt, sx, sy)
        tracker.add_points(prompt["frame"], prompt["obj_id"], points, labels)
    order = spec["frame_order"]
    reverse = len(order) > 1 and order[1] < order[0]
    rows = list(tracker.propagate(order[0], reverse=reverse))
    return rows, golden.array(f"{scenario}/lowres_logits"), spec["object_ids"], order


@unittest.skipIf(SKIP, SKIP)
class PackTrackerReplaysGoldens(unittest.TestCase):
    @classmethod
    def tearDownClass(cls):
        ort_node_shim.close()

    def setUp(self):
        ort_node_shim.install()

    def check(self, name, scenario, max_diff):
        fixture = _fixture(name)
        if fixture is None:
            self.skipTest(f"../shared/fixtures/{name} not present")
        rows, want, object_ids, order = replay(fixture, scenario)
        self.assertEqual([f for f, _ in rows], order)
        worst, worst_iou = 0.0, 1.0
        for row, (_, masks) in enumerate(rows):
            for k, obj in enumerate(object_ids):
                got, ref = masks[obj], want[row, k]
                worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - ref))))
                union = np.count_nonzero((got > 0) | (ref > 0))
                worst_iou = min(worst_iou, 1.0 if union == 0 else np.count_nonzero((got > 0) & (ref > 0)) / union)
        print(f"\n  {name} {scenario}: max|diff| {worst:.2e}, worst IoU {worst_iou:.5f} over {len(rows)} frames")
        self.assertLessEqual(worst, max_diff)
        self.assertGreaterEqual(worst_iou, 0.999)

    def test_sam2_micro_s1(self):
        self.check("sam2-micro", "S1", 1e-3)

    def test_edgetam_micro_s1_and_s3(self):
        self.check("edgetam-micro", "S1", 1e-3)
        self.check("edgetam-micro", "S3", 1e-3)

    def test_edgetam_with_bf16_memories_is_caught(self):
        """The mistake the notes list: rounding EdgeTAM memories to bf16 moves S3 by ~2.6e-3."""
        fixture = _fixture("edgetam-micro")
        if fixture is None:
            self.skipTest("../shared/fixtures/edgetam-micro not present")
        from sam2export import pack_tracker

        original = pack_tracker.PackTracker.__init__

        def with_bf16(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.memory_bf16 = True

        pack_tracker.PackTracker.__init__ = with_bf16
        try:
            rows, want, object_ids, _ = replay(fixture, "S3")
        finally:
            pack_tracker.PackTracker.__init__ = original
        worst = max(float(np.max(np.abs(masks[o] - want[r, k]))) for r, (_, masks) in enumerate(rows) for k, o in enumerate(object_ids))
        print(f"\n  edgetam-micro S3 with bf16 memories: max|diff| {worst:.2e}")
        self.assertGreater(worst, 1e-3)


if __name__ == "__main__":
    unittest.main()
