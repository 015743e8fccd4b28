"""Store every constant tensor of an ONNX graph once.

The TorchScript exporter inlines a tensor that is not a parameter (a non-persistent buffer, a
folded constant) at every place it is used, which once put 13 copies of the RoPE cos/sin tables
into SAM 2.1 tiny's memory attention (about 109 of its 133 MB). This pass turns large Constant
nodes into initializers and makes all uses of equal tensors refer to one initializer. Equal means
same dtype, shape and bytes, so the graph computes exactly what it did before.
"""

import hashlib

MIN_BYTES = 1024  # smaller constants (scalars, shapes) are left where the exporter put them


def _tensor_key(tensor):
    from onnx import numpy_helper

    array = numpy_helper.to_array(tensor)
    digest = hashlib.sha256(array.tobytes()).hexdigest()
    return (tensor.data_type, tuple(tensor.dims), digest), array.nbytes


def _constant_tensor(node):
    if node.op_type != "Constant" or node.domain not in ("", "ai.onnx") or len(node.output) != 1:
        return None
    for attr in node.attribute:
        if attr.name == "value" and attr.HasField("t"):
            return attr.t
    return None


def _rename_inputs(nodes, rename):
    """Points node inputs (also inside If/Loop bodies, which see outer names) at the kept tensor."""
    for node in nodes:
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]
        for attr in node.attribute:
            if attr.HasField("g"):
                _rename_inputs(attr.g.node, rename)
            for sub in attr.graphs:
                _rename_inputs(sub.node, rename)


def share_constants(model, min_bytes=MIN_BYTES):
    """Rewrites model.graph in place; returns {"merged", "bytes_before", "bytes_after"} (tensor bytes)."""
    graph = model.graph
    protected = {i.name for i in graph.input} | {o.name for o in graph.output}
    canonical, rename = {}, {}
    before = after = 0

    def adopt(name, tensor):
        nonlocal before, after
        key, nbytes = _tensor_key(tensor)
        before += nbytes
        if key in canonical and name not in protected:
            rename[name] = canonical[key]
            return False
        canonical.setdefault(key, name)
        after += nbytes
        return True

    kept_initializers = []
    for init in graph.initializer:
        if init.name in protected or _tensor_key(init)[1] < min_bytes:
            kept_initializers.append(init)
        elif adopt(init.name, init):
            kept_initializers.append(init)

    kept_nodes, new_initializers = [], []
    for node in graph.node:
        tensor = _constant_tensor(node)
        if tensor is None or node.output[0] in protected or _tensor_key(tensor)[1] < min_bytes:
            kept_nodes.append(node)
            continue
        name = node.output[0]
        if adopt(name, tensor):
            init = type(tensor)()
            init.CopyFrom(tensor)
            init.name = name
            new_initializers.append(init)

    _rename_inputs(kept_nodes, rename)
    del graph.initializer[:]
    graph.initializer.extend(kept_initializers + new_initializers)
    del graph.node[:]
    graph.node.extend(kept_nodes)
    return {"merged": len(rename), "bytes_before": before, "bytes_after": after}


def share_constants_file(path, min_bytes=MIN_BYTES):
    """share_constants on a saved model, written back only when something was merged."""
    import onnx

    model = onnx.load(path)
    stats = share_constants(model, min_bytes)
    if stats["merged"] or stats["bytes_before"] != stats["bytes_after"]:
        onnx.save(model, path)
    return stats


def largest_initializers(path, count=5):
    """[(name, bytes)] of the largest initializers, for the export log."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(path)
    sizes = [(i.name, numpy_helper.to_array(i).nbytes) for i in model.graph.initializer]
    return sorted(sizes, key=lambda s: -s[1])[:count]
