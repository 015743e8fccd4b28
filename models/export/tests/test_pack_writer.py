"""params.bin layout and model.json of both pack formats (numpy only)."""

import hashlib
import json
import os
import tempfile
import unittest

from tests import support

SKIP = support.missing("numpy")
if not SKIP:
    import numpy as np

    from sam2export.pack_writer import files_index, manifest, write_manifest, write_params

SETTINGS_VALUES = {
    "max_obj_ptrs_in_encoder": 16, "max_cond_frames_in_attn": -1, "sigmoid_scale_for_mem_enc": 20.0,
    "sigmoid_bias_for_mem_enc": -10.0, "multimask_output_in_sam": True, "multimask_min_pt_num": 0,
    "multimask_max_pt_num": 1, "multimask_output_for_tracking": True, "dynamic_multimask_via_stability": True,
    "dynamic_multimask_stability_delta": 0.05, "dynamic_multimask_stability_thresh": 0.98,
}
SAM2_DIMS = {"family": "sam2", "image_size": 256, "feat_size": 16, "hidden_dim": 128, "mem_dim": 64, "num_maskmem": 7,
             "memory_tokens": 256}
EDGETAM_DIMS = {**SAM2_DIMS, "family": "edgetam", "memory_tokens": 28, "latents_1d": 12, "latents_2d": 16}


def fixture_manifest(name):
    path = os.path.join(support.SHARED, "fixtures", name, "pack", "model.json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@unittest.skipIf(SKIP, SKIP)
class PackWriter(unittest.TestCase):
    def test_params_bin_is_the_arrays_back_to_back_little_endian(self):
        arrays = [("a", np.arange(6, dtype="<f4").reshape(2, 3)), ("b", np.array([7.5], dtype="<f4"))]
        with tempfile.TemporaryDirectory() as tmp:
            index = write_params(tmp, arrays)
            raw = np.fromfile(os.path.join(tmp, "params.bin"), dtype="<f4")
            files = files_index(tmp, ["params.bin"])
            with open(os.path.join(tmp, "params.bin"), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        self.assertEqual(index, {"file": "params.bin", "tensors": {"a": {"offset": 0, "shape": [2, 3]}, "b": {"offset": 24, "shape": [1]}}})
        self.assertEqual(raw.tolist(), [0, 1, 2, 3, 4, 5, 7.5])
        self.assertEqual(files["params.bin"], {"bytes": 28, "sha256": digest})

    def test_sam2_manifest(self):
        m = manifest(SETTINGS_VALUES, SAM2_DIMS, "micro", "sam2-micro/hf", {"file": "params.bin", "tensors": {}}, {}, {"tool": "t"})
        self.assertEqual(m["format"], "maskline-sam2")
        self.assertEqual(m["format_version"], 1)
        self.assertNotIn("memory_tokens_per_frame", m)
        self.assertNotIn("memory_bf16", m)  # absent means true: maskline-sam2 packs keep bf16 memories
        self.assertEqual(m["graphs"]["memory_attention"], "memory_attention.onnx")

    def test_edgetam_manifest_has_the_contract_fields(self):
        m = manifest(SETTINGS_VALUES, EDGETAM_DIMS, "micro", "edgetam-micro/hf", {"file": "params.bin", "tensors": {}}, {}, {})
        self.assertEqual(m["format"], "maskline-edgetam")
        self.assertEqual((m["memory_tokens_per_frame"], m["memory_latents_1d"], m["memory_latents_2d"]), (28, 12, 16))
        self.assertIs(m["memory_bf16"], False)
        with self.assertRaises(ValueError):
            manifest(SETTINGS_VALUES, {**EDGETAM_DIMS, "memory_tokens": 27}, "x", "y", {}, {}, {})
        with self.assertRaises(ValueError):
            manifest({k: v for k, v in SETTINGS_VALUES.items() if k != "multimask_min_pt_num"}, SAM2_DIMS, "x", "y", {}, {}, {})

    def test_field_order_and_values_match_the_fixture_packs(self):
        for name, dims in (("sam2-micro", SAM2_DIMS), ("edgetam-micro", EDGETAM_DIMS)):
            fixture = fixture_manifest(name)
            if fixture is None:
                self.skipTest(f"../shared/fixtures/{name} not present")
            with self.subTest(pack=name):
                ours = manifest(SETTINGS_VALUES, dims, fixture["name"], fixture["source"], fixture["params"], fixture["files"], {})
                keys = [k for k in fixture if k != "exporter"]
                self.assertEqual([k for k in ours if k != "exporter"], keys)
                for key in keys:
                    self.assertEqual(ours[key], fixture[key], key)

    def test_manifest_file_round_trips(self):
        m = manifest(SETTINGS_VALUES, EDGETAM_DIMS, "n", "s", {"file": "params.bin", "tensors": {}}, {}, {"variants": {}})
        with tempfile.TemporaryDirectory() as tmp:
            with open(write_manifest(tmp, m), encoding="utf-8") as f:
                self.assertEqual(json.load(f), m)


if __name__ == "__main__":
    unittest.main()
