"""The memory encoder graph, exported (torch) over a stand-in holding each micro fixture's real
weights, equals the fixture pack's memory_encoder.onnx (made and checked against transformers
5.17) for 1 and 3 objects per call, binarized and sigmoid masks, present and absent objects:
SAM 2.1 [B, D, h, w]; EdgeTAM with the exporter's batched restatement of the spatial perceiver,
[B, T, D] features and positions."""

import os
import tempfile
import unittest

from tests import support

SKIP = support.missing("torch", "onnx", "numpy")
if not SKIP:
    import numpy as np

    from tests import ort_node_shim

    SKIP = ort_node_shim.unavailable()


@unittest.skipIf(SKIP, SKIP)
class MemoryEncoderExport(unittest.TestCase):
    def test_sam2_micro(self):
        self.check("sam2-micro")

    def test_edgetam_micro(self):
        self.check("edgetam-micro")

    def check(self, name):
        from sam2export.onnx_export import export_graph
        from tests.standin_memory_attention import read_safetensors
        from tests.standin_memory_encoder import build

        fixture, cfg = support.shared_fixture(self, name)
        weights = {}
        prefixes = ["memory_encoder.", "occlusion_spatial_embedding_parameter"]
        if cfg["model_type"] == "edgetam_video":
            prefixes.append("spatial_perceiver.")
        for prefix in prefixes:
            part = read_safetensors(os.path.join(fixture, "hf", "model.safetensors"), prefix)
            weights.update({(prefix + k if prefix.endswith(".") else prefix): v for k, v in part.items()})
        model, dims = build(cfg, weights)
        fixture_name = name
        ort_node_shim.install()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "memory_encoder.onnx")
                export_graph("memory_encoder", model, dims, path, "stand-in")
                ours = ort_node_shim.InferenceSession(path)
                reference = ort_node_shim.InferenceSession(os.path.join(fixture, "pack", "memory_encoder.onnx"))
                rng = np.random.default_rng(5)
                h, c = dims["feat_size"], dims["hidden_dim"]
                for batch, scores, binarize in ((1, [1.5], [1.0]), (3, [1.5, -0.7, 0.3], [1.0, 0.0, 0.0])):
                    feed = {
                        "vision_feat": rng.standard_normal((batch, c, h, h)).astype(np.float32),
                        "mask_logits": (rng.standard_normal((batch, 1, 4 * h, 4 * h)) * 8).astype(np.float32),
                        "object_score_logits": np.array(scores, dtype=np.float32).reshape(batch, 1),
                        "binarize": np.array(binarize, dtype=np.float32),
                    }
                    want = reference.run(None, feed)
                    got = ours.run(None, feed)
                    for out, g, w in zip(("maskmem_features", "maskmem_pos_enc"), got, want):
                        print(f"\n  {fixture_name} memory_encoder B={batch} {out}: max|diff| {float(np.max(np.abs(g - w))):.2e}")
                        with self.subTest(batch=batch, output=out):
                            self.assertEqual(g.shape, w.shape)
                            if dims["family"] == "edgetam":
                                self.assertEqual(g.shape, (batch, dims["memory_tokens"], dims["mem_dim"]))
                            self.assertLess(float(np.max(np.abs(g - w))), 1e-4)
        finally:
            ort_node_shim.close()


if __name__ == "__main__":
    unittest.main()
