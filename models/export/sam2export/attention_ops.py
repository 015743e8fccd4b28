"""Scaled dot-product attention in two export forms.

`plain` exports as MatMul -> Mul -> Softmax -> MatMul, which every runtime runs but which makes
onnxruntime materialise the whole [queries, keys] score matrix. `fused` exports one
com.microsoft::MultiHeadAttention node per attention, which onnxruntime (CPU and CUDA) runs with
its own tiled kernels; in PyTorch both compute the same eager math, so the module-level checks
compare like with like.
"""

import torch

MS_DOMAIN = "com.microsoft"


def eager_attention(q, k, v, num_heads, scale):
    """q [B,N,H*d], k [B,M,H*d], v [B,M,H*dv] -> [B,N,H*dv], the reference's eager arithmetic."""
    b, n, _ = q.shape
    m = k.shape[1]
    qh = q.reshape(b, n, num_heads, -1).transpose(1, 2)
    kh = k.reshape(b, m, num_heads, -1).transpose(1, 2)
    vh = v.reshape(b, m, num_heads, -1).transpose(1, 2)
    w = torch.matmul(qh, kh.transpose(2, 3)) * scale
    w = torch.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
    out = torch.matmul(w, vh)
    return out.transpose(1, 2).reshape(b, n, -1)


class _FusedMultiHeadAttention(torch.autograd.Function):
    """Eager math in PyTorch, a single contrib node in ONNX (TorchScript exporter symbolic)."""

    @staticmethod
    def forward(ctx, q, k, v, num_heads, scale):  # noqa: D401 - autograd signature
        return eager_attention(q, k, v, num_heads, scale)

    @staticmethod
    def symbolic(g, q, k, v, num_heads, scale):
        out = g.op(f"{MS_DOMAIN}::MultiHeadAttention", q, k, v, num_heads_i=int(num_heads), scale_f=float(scale))
        # The contrib op has no shape inference in the exporter; its output is laid out like q,
        # with every dimension left symbolic so a traced batch or length is never recorded.
        try:
            out.setType(q.type().with_sizes([None, None, None]))
        except Exception:
            out.setType(q.type())
        return out


def attention(q, k, v, num_heads, scale, fused):
    if fused:
        return _FusedMultiHeadAttention.apply(q, k, v, num_heads, scale)
    return eager_attention(q, k, v, num_heads, scale)
