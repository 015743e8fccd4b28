"""Constant sharing on small synthetic graphs built with onnx.helper (no PyTorch, no onnxruntime):
a table inlined at several uses ends up stored once and the graph still computes the same."""

import unittest

from tests import support

SKIP = support.missing("onnx", "numpy")
if not SKIP:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from sam2export.onnx_share import share_constants


def _evaluate(graph, feeds):
    """A tiny interpreter for the ops these graphs use (onnx 1.12 has no reference evaluator)."""
    values = dict(feeds)
    values.update({i.name: numpy_helper.to_array(i) for i in graph.initializer})
    for node in graph.node:
        if node.op_type == "Constant":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
        elif node.op_type in ("Mul", "Add"):
            a, b = (values[n] for n in node.input)
            values[node.output[0]] = a * b if node.op_type == "Mul" else a + b
        elif node.op_type == "If":
            branches = {a.name: a.g for a in node.attribute}
            branch = branches["then_branch" if values[node.input[0]] else "else_branch"]
            inner = _evaluate(branch, values)
            values[node.output[0]] = inner[branch.output[0].name]
        else:
            raise NotImplementedError(node.op_type)
    return values


def _constant(name, array):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(array, name=f"{name}_value"))


def _table_graph():
    rng = np.random.default_rng(0)
    table = rng.standard_normal((64, 32)).astype(np.float32)  # 8 KiB: a RoPE table in miniature
    other = rng.standard_normal((64, 32)).astype(np.float32)
    small = np.float32([2.0])
    then_graph = helper.make_graph([helper.make_node("Mul", ["d", "c2"], ["t_out"])], "then", [],
                                   [helper.make_tensor_value_info("t_out", TensorProto.FLOAT, [64, 32])])
    else_graph = helper.make_graph([helper.make_node("Add", ["d", "s2"], ["e_out"])], "else", [],
                                   [helper.make_tensor_value_info("e_out", TensorProto.FLOAT, [64, 32])])
    nodes = [
        _constant("c1", table), _constant("c2", table), _constant("c3", table),
        _constant("s1", small), _constant("s2", small),
        helper.make_node("Mul", ["x", "c1"], ["a"]),
        helper.make_node("Mul", ["a", "s1"], ["b"]),
        helper.make_node("Add", ["b", "c3"], ["c"]),
        helper.make_node("Mul", ["c", "w"], ["d"]),
        helper.make_node("If", ["flag"], ["e"], then_branch=then_graph, else_branch=else_graph),
        helper.make_node("Add", ["e", "u"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "tables",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [64, 32]), helper.make_tensor_value_info("flag", TensorProto.BOOL, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [64, 32])],
        initializer=[numpy_helper.from_array(table, "w"), numpy_helper.from_array(other, "u")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), table


@unittest.skipIf(SKIP, SKIP)
class ShareConstants(unittest.TestCase):
    def test_equal_tables_are_stored_once_and_results_do_not_change(self):
        model, table = _table_graph()
        x = np.random.default_rng(1).standard_normal((64, 32)).astype(np.float32)
        before = {flag: _evaluate(model.graph, {"x": x, "flag": np.bool_(flag)})["y"] for flag in (True, False)}
        stats = share_constants(model)
        onnx.checker.check_model(model)
        self.assertEqual(stats["merged"], 3)  # c1, c2, c3 -> w
        self.assertEqual(stats["bytes_before"], 5 * table.nbytes)
        self.assertEqual(stats["bytes_after"], 2 * table.nbytes)
        big = [i.name for i in model.graph.initializer if numpy_helper.to_array(i).nbytes >= 1024]
        self.assertEqual(sorted(big), ["u", "w"])
        self.assertFalse([n for n in model.graph.node if n.op_type == "Constant" and n.output[0].startswith("c")])
        small = [n.output[0] for n in model.graph.node if n.op_type == "Constant"]
        self.assertEqual(small, ["s1", "s2"])  # scalars stay where the exporter put them
        if_node = next(n for n in model.graph.node if n.op_type == "If")
        branch = next(a.g for a in if_node.attribute if a.name == "then_branch")
        self.assertEqual(list(branch.node[0].input), ["d", "w"])  # the If body sees the kept name
        for flag in (True, False):
            after = _evaluate(model.graph, {"x": x, "flag": np.bool_(flag)})["y"]
            np.testing.assert_array_equal(after, before[flag])

    def test_graph_outputs_and_inputs_are_never_renamed(self):
        table = np.ones((32, 16), dtype=np.float32)
        graph = helper.make_graph(
            [_constant("k", table), helper.make_node("Add", ["x", "k"], ["y"])], "io",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [32, 16])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [32, 16]), helper.make_tensor_value_info("k", TensorProto.FLOAT, [32, 16])],
            initializer=[numpy_helper.from_array(table, "w")],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        self.assertEqual(share_constants(model)["merged"], 0)
        self.assertIn("k", [n.output[0] for n in model.graph.node])

    def test_same_bytes_different_shape_or_dtype_are_not_merged(self):
        a = np.arange(512, dtype=np.float32)
        graph = helper.make_graph(
            [_constant("p", a), _constant("q", a.reshape(16, 32)), _constant("r", a.view(np.int32)),
             helper.make_node("Add", ["x", "p"], ["y1"]), helper.make_node("Add", ["x2", "q"], ["y2"]),
             helper.make_node("Add", ["x3", "r"], ["y3"])], "kinds",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [512]), helper.make_tensor_value_info("x2", TensorProto.FLOAT, [16, 32]),
             helper.make_tensor_value_info("x3", TensorProto.INT32, [512])],
            [helper.make_tensor_value_info(n, t, s) for n, t, s in
             (("y1", TensorProto.FLOAT, [512]), ("y2", TensorProto.FLOAT, [16, 32]), ("y3", TensorProto.INT32, [512]))],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        stats = share_constants(model)
        self.assertEqual(stats["merged"], 0)
        self.assertEqual(sorted(i.name for i in model.graph.initializer), ["p", "q", "r"])


if __name__ == "__main__":
    unittest.main()
