"""Per-graph CPU times: onnxruntime with the plain and the fused memory attention side by side,
and the PyTorch modules on the same inputs and thread count (the reference to beat)."""

import json
import os
import time

import torch

from . import references as ref
from .ort_util import ort_session
from .onnx_export import GRAPH_IO, example_inputs


def _median_ms(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    return times[len(times) // 2]


def _torch_fn(model, dims, graph, inputs):
    if graph == "image_encoder":
        return lambda: ref.image_encoder(model, inputs[0])
    if graph == "mask_decoder":
        e, s0, s1, c, l, mi, hm = inputs
        return lambda: ref.mask_decoder_row(model, e[0], s0[0], s1[0], c[0, :-1], l[0, :-1], mi[0], False)
    if graph == "memory_encoder":
        v, m, s, b = inputs
        return lambda: ref.memory_encoder_row(model, v[0], m[0], s[0], True, dims["family"])
    if graph == "memory_attention":
        return lambda: ref.memory_attention_row(model, *(t[0] for t in inputs[:4]), inputs[4], dims["memory_tokens"])
    raise ValueError(graph)


def bench(model, dims, graph_files, threads, repeats, max_pointers, out_json=None):
    """graph_files: {label: (graph name, onnx path)}, e.g. 'memory_attention[fused]'."""
    torch.set_num_threads(threads)
    cases = [("image_encoder", {}), ("mask_decoder", {"points": 2}), ("memory_encoder", {}),
             ("memory_attention", {"mem_frames": 1, "pointers": 1}),
             ("memory_attention", {"mem_frames": dims["num_maskmem"], "pointers": max_pointers})]
    rows = []
    print(f"per-graph CPU time, median of {repeats} (threads={threads}):")
    print(f"  {'graph':52s} {'onnxruntime':>12s} {'pytorch':>10s}")
    for graph, kw in cases:
        inputs = example_inputs(graph, dims, batch=1, **kw)
        feed = {n: t.numpy() for n, t in zip(GRAPH_IO[graph]["inputs"], inputs)}
        with torch.no_grad():
            torch_ms = _median_ms(_torch_fn(model, dims, graph, inputs), repeats)
        for label, (name, path) in graph_files.items():
            if name != graph:
                continue
            session = ort_session(path, threads)
            ort_ms = _median_ms(lambda: session.run(None, feed), repeats)
            tag = f"{label} {kw}" if kw else label
            rows.append({"graph": label, "case": kw, "onnxruntime_ms": round(ort_ms, 2), "pytorch_ms": round(torch_ms, 2)})
            print(f"  {tag:52s} {ort_ms:10.1f}ms {torch_ms:8.1f}ms")
    if out_json:
        os.makedirs(os.path.dirname(os.path.abspath(out_json)), exist_ok=True)
        with open(out_json, "w", encoding="utf-8") as f:
            json.dump({"threads": threads, "repeats": repeats, "rows": rows}, f, indent=2)
    return rows
