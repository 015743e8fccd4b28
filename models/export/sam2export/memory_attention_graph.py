"""Memory attention as one graph: RoPE from stored tables, pointer count as a tensor input, and the
key rotary layout derived in the graph from M, P and the tokens per stored memory T.

SAM 2.1: T = h*w, every memory token is rotated with its pixel position (row = index mod T).
EdgeTAM: within each memory of T = L1 + L2 tokens the L1 global latents are not rotated and the
L2 grid latents are rotated with their position on the g x g latent grid (rotary_emb_k).
Both: the last P keys (object pointers) are not rotated (cos = 1, sin = 0 exactly).
"""

import torch
from torch import nn

from .attention_ops import attention
from .compat import attribute
from .rope import RotaryTable, rope_tables, rope_theta


def _rotate_pairwise(x):
    """(x0, x1, x2, x3, ...) -> (-x1, x0, -x3, x2, ...): the real form of the complex RoPE product."""
    pairs = x.reshape(x.shape[0], x.shape[1], x.shape[2], -1, 2)
    return torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).reshape(x.shape)


def _layer_mlp(layer, version):
    """SAM 2.1 layers hold linear1/activation/linear2, EdgeTAM's an `mlp` module (same math)."""
    if hasattr(layer, "mlp"):
        return layer.mlp
    linear1 = attribute(layer, "linear1", version, "memory_attention.layers[i]")
    linear2 = attribute(layer, "linear2", version, "memory_attention.layers[i]")
    activation = attribute(layer, "activation", version, "memory_attention.layers[i]")
    return lambda x: linear2(activation(linear1(x)))


class MemoryAttentionGraph(nn.Module):
    def __init__(self, model, fused, layout, version):
        super().__init__()
        cfg = model.config
        ma = attribute(model, "memory_attention", version, "model")
        self.layers = attribute(ma, "layers", version, "memory_attention")
        self.norm = attribute(ma, "layer_norm", version, "memory_attention")
        self.mlps = [_layer_mlp(layer, version) for layer in self.layers]
        for layer in self.layers:
            for name in ("self_attn", "cross_attn_image", "layer_norm1", "layer_norm2", "layer_norm3"):
                attribute(layer, name, version, "memory_attention.layers[i]")
            for attn in ("self_attn", "cross_attn_image"):
                for name in ("q_proj", "k_proj", "v_proj", "o_proj", "num_attention_heads", "scaling"):
                    attribute(getattr(layer, attn), name, version, f"memory_attention.layers[i].{attn}")
        self.fused = bool(fused)
        self.height, self.width = (int(v) for v in model.backbone_feature_sizes[-1])
        self.channels = int(cfg.memory_attention_hidden_size)
        heads = int(cfg.memory_attention_num_attention_heads)
        head_dim = self.channels // (int(cfg.memory_attention_downsample_rate) * heads)
        theta = rope_theta(cfg)
        end_x, end_y = (int(v) for v in cfg.memory_attention_rope_feat_sizes)
        if end_x * end_y != self.height * self.width:
            raise ValueError(f"RoPE grid {end_x}x{end_y} does not cover the {self.height}x{self.width} feature map")
        rotary = attribute(ma, "rotary_emb", version, "memory_attention")
        self.query_table = RotaryTable(*rope_tables(rotary, ma, end_x, end_y, head_dim, theta, version, "memory_attention.rotary_emb"))
        self.tokens_per_memory = int(layout["memory_tokens"])
        self.latents_1d = int(layout.get("latents_1d", 0))
        if self.latents_1d or self.tokens_per_memory != end_x * end_y:
            kx, ky = (int(v) for v in cfg.memory_attention_rope_k_sizes)
            if kx * ky + self.latents_1d != self.tokens_per_memory:
                raise ValueError(f"key RoPE grid {kx}x{ky} + {self.latents_1d} global latents != {self.tokens_per_memory} tokens per memory")
            rotary_k = attribute(ma, "rotary_emb_k", version, "memory_attention")
            self.key_table = RotaryTable(*rope_tables(rotary_k, ma, kx, ky, head_dim, theta, version, "memory_attention.rotary_emb_k"))
        else:
            self.key_table = self.query_table  # the same stored tables serve queries and keys

    def _attend(self, attn, q_in, k_in, v_in, cos_q, sin_q, cos_k, sin_k):
        heads = int(attn.num_attention_heads)
        batch, nq, nk = q_in.shape[0], q_in.shape[1], k_in.shape[1]
        q = attn.q_proj(q_in).reshape(batch, nq, heads, -1).transpose(1, 2)
        k = attn.k_proj(k_in).reshape(batch, nk, heads, -1).transpose(1, 2)
        v = attn.v_proj(v_in)
        q = (q * cos_q) + (_rotate_pairwise(q) * sin_q)
        k = (k * cos_k) + (_rotate_pairwise(k) * sin_k)
        q = q.transpose(1, 2).reshape(batch, nq, -1)
        k = k.transpose(1, 2).reshape(batch, nk, -1)
        out = attention(q, k, v, heads, float(attn.scaling), self.fused)
        return attn.o_proj(out)

    def _key_rotation(self, memory, num_object_pointer_tokens):
        """cos/sin [M, head_dim] for the keys, from M (memory's length), P and T."""
        ones = torch.ones_like(memory[0, :, 0])
        index = torch.cumsum(ones, dim=0) - 1
        first_pointer = ones.sum() - num_object_pointer_tokens.to(ones.dtype)
        within = torch.remainder(index, float(self.tokens_per_memory))
        rotated = (index < first_pointer) & (within >= float(self.latents_1d))
        rows = torch.clamp(within - float(self.latents_1d), min=0.0).to(torch.int64)
        cos_rows, sin_rows = self.key_table(rows)
        rotated = rotated.unsqueeze(-1)
        return (torch.where(rotated, cos_rows, torch.ones_like(cos_rows)),
                torch.where(rotated, sin_rows, torch.zeros_like(sin_rows)))

    def forward(self, current_features, current_pos, memory, memory_pos, num_object_pointer_tokens):
        x = current_features + 0.1 * current_pos
        # query rows 0..hw-1 offset by an input-derived zero, so the lookup stays a run-time Gather
        zero = num_object_pointer_tokens.to(torch.int64) * 0
        rows_q = torch.arange(self.height * self.width, dtype=torch.int64) + zero
        cos_q, sin_q = self.query_table(rows_q)
        cos_k, sin_k = self._key_rotation(memory, num_object_pointer_tokens)
        keys = memory + memory_pos
        for layer, mlp in zip(self.layers, self.mlps):
            q = layer.layer_norm1(x)
            x = x + self._attend(layer.self_attn, q, q, q, cos_q, sin_q, cos_q, sin_q)
            q = layer.layer_norm2(x)
            x = x + self._attend(layer.cross_attn_image, q, keys, memory, cos_q, sin_q, cos_k, sin_k)
            q = layer.layer_norm3(x)
            x = x + mlp(q)
        x = self.norm(x)
        return x.transpose(1, 2).reshape(x.shape[0], self.channels, self.height, self.width)
