"""The exporter's memory attention graph, exported (torch) over a stand-in module holding each
micro fixture's real weights, equals the fixture pack's memory_attention.onnx (made and checked
against transformers 5.17) at 1-7 memories, 0-16 pointers and 2 objects per call: the SAM 2.1 key
layout and EdgeTAM's (global latents unrotated, grid latents on the g x g grid, pointers
unrotated), plain and fused. Also checks that the RoPE tables are stored once, at half width."""

import os
import tempfile
import unittest

from tests import support

SKIP = support.missing("torch", "onnx", "numpy")
if not SKIP:
    import numpy as np

    from tests import ort_node_shim

    SKIP = ort_node_shim.unavailable()


def _cases(dims):
    per_pointer = dims["hidden_dim"] // dims["mem_dim"]
    return [(f, p * per_pointer, b) for f, p, b in ((1, 0, 1), (1, 1, 1), (3, 4, 1), (7, 16, 1), (2, 3, 2))]


@unittest.skipIf(SKIP, SKIP)
class MemoryAttentionExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ort_node_shim.install()
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        ort_node_shim.close()
        cls.tmp.cleanup()

    def check(self, name):
        import onnx
        from onnx import numpy_helper

        from sam2export.onnx_export import export_graph
        from tests.standin_memory_attention import build, read_safetensors

        fixture, cfg = support.shared_fixture(self, name)
        model, dims = build(cfg, read_safetensors(os.path.join(fixture, "hf", "model.safetensors"), "memory_attention."))
        reference = ort_node_shim.InferenceSession(os.path.join(fixture, "pack", "memory_attention.onnx"))
        rng = np.random.default_rng(3)
        hw, channels, mem = dims["feat_size"] ** 2, dims["hidden_dim"], dims["mem_dim"]
        for fused in (False, True):
            path = os.path.join(self.tmp.name, f"{name}.{'fused' if fused else 'plain'}.onnx")
            export_graph("memory_attention", model, dims, path, "stand-in", fused_attention=fused)
            ours = ort_node_shim.InferenceSession(path)
            for frames, pointers, batch in _cases(dims):
                m = frames * dims["memory_tokens"] + pointers
                feed = {
                    "current_features": rng.uniform(-2, 2, (batch, hw, channels)).astype(np.float32),
                    "current_pos": rng.uniform(-2, 2, (batch, hw, channels)).astype(np.float32),
                    "memory": rng.uniform(-2, 2, (batch, m, mem)).astype(np.float32),
                    "memory_pos": rng.uniform(-2, 2, (batch, m, mem)).astype(np.float32),
                    "num_object_pointer_tokens": np.array(pointers, dtype=np.int64),
                }
                (want,) = reference.run(None, feed)
                (got,) = ours.run(None, feed)
                print(f"\n  {name} {'fused' if fused else 'plain'} F={frames} P={pointers} B={batch}: "
                      f"max|diff| {float(np.max(np.abs(got - want))):.2e}")
                with self.subTest(fused=fused, frames=frames, pointers=pointers, batch=batch):
                    self.assertLess(float(np.max(np.abs(got - want))), 1e-4)
            if not fused:
                graph = onnx.load(path).graph
                tables = [numpy_helper.to_array(i).shape for i in graph.initializer if i.name.endswith(("cos", "sin"))]
                head = channels  # one head in both micro models
                want_tables = [(hw, head // 2)] * 2
                if dims["family"] == "edgetam":
                    want_tables += [(dims["latents_2d"], head // 2)] * 2
                self.assertEqual(sorted(tables), sorted(want_tables))
                self.assertFalse([n for n in graph.node if n.op_type == "Constant" and any(
                    a.t.dims and int(np.prod(a.t.dims)) >= hw * head // 2 for a in n.attribute)])

    def test_sam2_micro(self):
        self.check("sam2-micro")

    def test_edgetam_micro(self):
        self.check("edgetam-micro")


if __name__ == "__main__":
    unittest.main()
