"""torch.onnx export of the four graphs with the contract's names, dtypes and dynamic axes."""

import os

import torch

from .attention_ops import MS_DOMAIN
from .memory_attention_graph import MemoryAttentionGraph
from .onnx_share import share_constants_file
from .wrappers import ImageEncoderGraph, MaskDecoderGraph, MemoryEncoderGraph

OPSET = 17  # native LayerNormalization; GELU stays an exact Erf subgraph

GRAPH_IO = {
    "image_encoder": {
        "inputs": ["pixel_values"],
        "outputs": ["feat_s0", "feat_s1", "vision_feat", "vision_pos"],
        "dynamic": {"pixel_values": {0: "N"}, "feat_s0": {0: "N"}, "feat_s1": {0: "N"}, "vision_feat": {0: "N"}, "vision_pos": {0: "N"}},
    },
    "mask_decoder": {
        "inputs": ["image_embed", "feat_s0", "feat_s1", "point_coords", "point_labels", "mask_input", "has_mask_input"],
        "outputs": ["low_res_masks", "iou_scores", "object_score_logits", "object_pointers"],
        "dynamic": {
            "image_embed": {0: "B"}, "feat_s0": {0: "B"}, "feat_s1": {0: "B"},
            "point_coords": {0: "B", 1: "P"}, "point_labels": {0: "B", 1: "P"},
            "mask_input": {0: "B"}, "has_mask_input": {0: "B"},
            "low_res_masks": {0: "B"}, "iou_scores": {0: "B"}, "object_score_logits": {0: "B"}, "object_pointers": {0: "B"},
        },
    },
    "memory_encoder": {
        "inputs": ["vision_feat", "mask_logits", "object_score_logits", "binarize"],
        "outputs": ["maskmem_features", "maskmem_pos_enc"],
        # the mask's spatial size is free: a 4h x 4w mask and an S x S mask both resize to S x S
        "dynamic": {
            "vision_feat": {0: "B"}, "mask_logits": {0: "B", 2: "mask_h", 3: "mask_w"},
            "object_score_logits": {0: "B"}, "binarize": {0: "B"},
            "maskmem_features": {0: "B"}, "maskmem_pos_enc": {0: "B"},
        },
    },
    "memory_attention": {
        "inputs": ["current_features", "current_pos", "memory", "memory_pos", "num_object_pointer_tokens"],
        "outputs": ["conditioned_feat"],
        "dynamic": {
            "current_features": {0: "B"}, "current_pos": {0: "B"},
            "memory": {0: "B", 1: "M"}, "memory_pos": {0: "B", 1: "M"}, "conditioned_feat": {0: "B"},
        },
    },
}


def example_inputs(name, dims, batch=1, points=3, mem_frames=2, pointers=2, seed=0):
    """Random inputs of the right shapes and dtypes for one graph (also used by the checks)."""
    g = torch.Generator().manual_seed(seed)
    S, h, C, D = dims["image_size"], dims["feat_size"], dims["hidden_dim"], dims["mem_dim"]

    def randn(*shape):
        return torch.randn(*shape, generator=g)

    if name == "image_encoder":
        return (randn(batch, 3, S, S),)
    if name == "mask_decoder":
        coords = torch.rand(batch, points, 2, generator=g) * S
        labels = torch.randint(0, 4, (batch, points), generator=g, dtype=torch.int64).to(torch.int32)
        coords[:, -1] = 0.0
        labels[:, -1] = -1  # the contract's trailing padding point
        has_mask = (torch.arange(batch) % 2).to(torch.float32)
        return (randn(batch, C, h, h), randn(batch, C // 8, 4 * h, 4 * h), randn(batch, C // 4, 2 * h, 2 * h),
                coords, labels, randn(batch, 1, 4 * h, 4 * h) * 4, has_mask)
    if name == "memory_encoder":
        binarize = ((torch.arange(batch) + 1) % 2).to(torch.float32)
        scores = randn(batch, 1)
        return (randn(batch, C, h, h), randn(batch, 1, 4 * h, 4 * h) * 8, scores, binarize)
    if name == "memory_attention":
        m = mem_frames * dims["memory_tokens"] + pointers * (C // D)
        return (randn(batch, h * h, C), randn(batch, h * h, C), randn(batch, m, D), randn(batch, m, D),
                torch.tensor(pointers * (C // D), dtype=torch.int64))
    raise ValueError(f"unknown graph {name}")


def build_wrapper(name, model, dims, version, fused_attention=False):
    """The export module of one graph; building it resolves every attribute the graph uses, so an
    unknown transformers layout stops here (UnsupportedTransformers) before anything is written."""
    if name == "image_encoder":
        return ImageEncoderGraph(model, version).eval()
    if name == "mask_decoder":
        return MaskDecoderGraph(model, version).eval()
    if name == "memory_encoder":
        perceiver = None
        if dims["family"] == "edgetam":
            from .perceiver_graph import PerceiverGraph

            perceiver = PerceiverGraph(model, version)
        return MemoryEncoderGraph(model, version, perceiver).eval()
    if name == "memory_attention":
        return MemoryAttentionGraph(model, fused_attention, dims, version).eval()
    raise ValueError(f"unknown graph {name}")


def export_graph(name, model, dims, path, version, fused_attention=False):
    """Writes one graph to `path`, stores each constant once and checks it with onnx.checker.
    Returns the file size."""
    wrapper = build_wrapper(name, model, dims, version, fused_attention)
    io = GRAPH_IO[name]
    args = example_inputs(name, dims, batch=1 if name != "mask_decoder" else 2)
    kwargs = dict(
        input_names=io["inputs"],
        output_names=io["outputs"],
        dynamic_axes=io["dynamic"],
        opset_version=OPSET,
        do_constant_folding=True,
    )
    if name == "memory_attention" and fused_attention:
        kwargs["custom_opsets"] = {MS_DOMAIN: 1}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with torch.no_grad():
        try:
            torch.onnx.export(wrapper, args, path, dynamo=False, **kwargs)
        except TypeError:  # torch < 2.5 has no `dynamo` switch and always uses TorchScript
            torch.onnx.export(wrapper, args, path, **kwargs)
    shared = share_constants_file(path)
    if shared["merged"]:
        print(f"  note: {name}: {shared['merged']} duplicate constants stored once "
              f"({shared['bytes_before'] / 1e6:.1f} -> {shared['bytes_after'] / 1e6:.1f} MB)")
    _check(path)
    return os.path.getsize(path)


def _check(path):
    """onnx.checker, tolerating only its lack of a schema for the com.microsoft contrib op."""
    import onnx

    try:
        onnx.checker.check_model(path)
    except onnx.checker.ValidationError as err:
        if "MultiHeadAttention" not in str(err):
            raise
        print(f"  note: onnx.checker has no schema for com.microsoft MultiHeadAttention ({str(err).splitlines()[0]}); "
              "onnxruntime validates it when the checks open the graph")


# ops whose fp16 versions lose the thresholds and integer indices the engine relies on, the RoPE
# lookups, and the contrib attention (its CPU kernel is float32-only; it then runs between casts)
FP16_BLOCK = ["Range", "Mod", "CumSum", "ReduceSum", "Greater", "GreaterOrEqual", "Less", "Equal", "Where", "Sigmoid",
              "Resize", "Clip", "MultiHeadAttention"]


def convert_fp16(path):
    """Float16 weights and arithmetic inside, float32 at the inputs and outputs (contract dtypes).

    Uses the converter that ships with onnxruntime's Python package (onnxruntime.transformers.float16),
    so --fp16 needs nothing beyond requirements.txt."""
    import onnx
    from onnxruntime.transformers import float16

    model = onnx.load(path)
    converted = float16.convert_float_to_float16(model, keep_io_types=True, op_block_list=FP16_BLOCK)
    onnx.save(converted, path)
    _check(path)
    return os.path.getsize(path)
