"""Test helper: a stand-in for the `onnxruntime` Python package with the few names the exporter's
torch-free code uses (SessionOptions, GraphOptimizationLevel, InferenceSession.run), backed by
onnxruntime-node through tests/ort_node_server.mjs. install() puts it in sys.modules."""

import base64
import json
import os
import shutil
import subprocess
import sys
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
_server = None


def unavailable():
    """Why the shim cannot run here (None when it can)."""
    if shutil.which("node") is None:
        return "needs node on PATH"
    if not os.path.isdir(os.path.join(REPO, "node_modules", "onnxruntime-node")):
        return "needs onnxruntime-node in node_modules"
    return None


def _request(payload):
    global _server
    if _server is None or _server.poll() is not None:
        _server = subprocess.Popen(["node", os.path.join(HERE, "ort_node_server.mjs")], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, bufsize=1)
    _server.stdin.write(json.dumps(payload) + "\n")
    _server.stdin.flush()
    answer = json.loads(_server.stdout.readline())
    if "error" in answer:
        raise RuntimeError(f"onnxruntime-node: {answer['error']}")
    return answer


def close():
    global _server
    if _server is not None:
        _server.stdin.close()
        _server.wait(timeout=30)
        _server.stdout.close()
        _server = None


class SessionOptions:
    intra_op_num_threads = 1
    inter_op_num_threads = 1
    graph_optimization_level = None


class InferenceSession:
    def __init__(self, path, sess_options=None, providers=None):
        threads = getattr(sess_options, "intra_op_num_threads", 1) or 1
        answer = _request({"op": "open", "path": os.path.abspath(path), "threads": threads})
        self._id, self._outputs = answer["id"], answer["outputs"]

    def run(self, output_names, feed):
        inputs = []
        for name, value in feed.items():
            a = np.ascontiguousarray(value)
            dtype = {np.dtype("float32"): "float32", np.dtype("int32"): "int32", np.dtype("int64"): "int64"}[a.dtype]
            inputs.append({"name": name, "dtype": dtype, "shape": list(a.shape), "data": base64.b64encode(a.astype(a.dtype.newbyteorder("<")).tobytes()).decode()})
        answer = _request({"op": "run", "id": self._id, "inputs": inputs})
        out = {o["name"]: np.frombuffer(base64.b64decode(o["data"]), dtype=np.dtype(o["dtype"]).newbyteorder("<")).reshape(o["shape"]) for o in answer["outputs"]}
        return [out[n] for n in (output_names or self._outputs)]


def install():
    module = types.ModuleType("onnxruntime")
    module.SessionOptions = SessionOptions
    module.InferenceSession = InferenceSession
    module.GraphOptimizationLevel = types.SimpleNamespace(ORT_ENABLE_ALL="all")
    module.__version__ = "onnxruntime-node (test stand-in)"
    sys.modules["onnxruntime"] = module
    return module
