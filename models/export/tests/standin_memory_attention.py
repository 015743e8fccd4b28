"""Test helper (torch): a memory attention with the module layout transformers' Sam2Video and
EdgeTamVideo memory attentions have (layers[i].self_attn/cross_attn_image q/k/v/o_proj,
layer_norm1-3, linear1/linear2 or mlp.up_proj/down_proj, layer_norm, rotary_emb[_k] in the
earlier-5.x form `forward() -> (cos, sin)`), loaded with a fixture's real weights. It lets the
exporter's MemoryAttentionGraph be exported and compared with the fixture pack's graph where
transformers is not installed."""

import json
import struct
import types

import numpy as np
import torch
from torch import nn

from sam2export.rope import axial_table


def read_safetensors(path, prefix):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        out = {}
        for name, info in header.items():
            if name == "__metadata__" or not name.startswith(prefix):
                continue
            if info["dtype"] != "F32":
                raise ValueError(f"{name}: {info['dtype']}")
            start, end = info["data_offsets"]
            f.seek(8 + size + start)
            data = np.frombuffer(f.read(end - start), dtype="<f4").reshape(info["shape"]).copy()
            out[name[len(prefix):]] = torch.from_numpy(data)
    return out


class _Attention(nn.Module):
    def __init__(self, channels, kv_channels, heads):
        super().__init__()
        self.q_proj, self.o_proj = nn.Linear(channels, channels), nn.Linear(channels, channels)
        self.k_proj, self.v_proj = nn.Linear(kv_channels, channels), nn.Linear(kv_channels, channels)
        self.num_attention_heads = heads
        self.scaling = (channels // heads) ** -0.5


class _MLP(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.up_proj, self.down_proj = nn.Linear(channels, hidden), nn.Linear(hidden, channels)

    def forward(self, x):
        return self.down_proj(torch.relu(self.up_proj(x)))


class _Layer(nn.Module):
    def __init__(self, channels, mem_channels, hidden, heads, edgetam):
        super().__init__()
        self.self_attn = _Attention(channels, channels, heads)
        self.cross_attn_image = _Attention(channels, mem_channels, heads)
        self.layer_norm1, self.layer_norm2, self.layer_norm3 = (nn.LayerNorm(channels) for _ in range(3))
        if edgetam:
            self.mlp = _MLP(channels, hidden)
        else:
            self.linear1, self.linear2, self.activation = nn.Linear(channels, hidden), nn.Linear(hidden, channels), nn.ReLU()


class _Rotary(nn.Module):
    def __init__(self, head_dim, end_x, end_y, theta):
        super().__init__()
        angles = axial_table(head_dim, end_x, end_y, theta)
        self.register_buffer("rope_embeddings_cos", angles.cos(), persistent=False)
        self.register_buffer("rope_embeddings_sin", angles.sin(), persistent=False)

    def forward(self):
        return self.rope_embeddings_cos, self.rope_embeddings_sin


def build(cfg, weights):
    """(model-like namespace, dims) for MemoryAttentionGraph from a fixture's config.json dict."""
    edgetam = cfg["model_type"] == "edgetam_video"
    channels, heads = cfg["memory_attention_hidden_size"], cfg["memory_attention_num_attention_heads"]
    hidden = cfg.get("memory_attention_mlp_hidden_size", cfg.get("memory_attention_feed_forward_hidden_size", 2048))
    theta = (cfg.get("rope_parameters") or {}).get("rope_theta", cfg.get("memory_attention_rope_theta", 10000.0))
    ma = nn.Module()
    ma.layers = nn.ModuleList(_Layer(channels, cfg["memory_encoder_output_channels"], hidden, heads, edgetam)
                              for _ in range(cfg["memory_attention_num_layers"]))
    ma.layer_norm = nn.LayerNorm(channels)
    ma.rotary_emb = _Rotary(channels // heads, *cfg["memory_attention_rope_feat_sizes"], theta)
    if edgetam:
        ma.rotary_emb_k = _Rotary(channels // heads, *cfg["memory_attention_rope_k_sizes"], theta)
    ma.load_state_dict(weights, strict=True)
    ma.eval()
    h = cfg["image_size"] // 16
    config = types.SimpleNamespace(**{k: v for k, v in cfg.items() if not isinstance(v, dict)})
    config.rope_parameters = cfg.get("rope_parameters")
    config.memory_attention_downsample_rate = cfg.get("memory_attention_downsample_rate", 1)
    model = types.SimpleNamespace(config=config, memory_attention=ma, backbone_feature_sizes=[[4 * h, 4 * h], [2 * h, 2 * h], [h, h]])
    dims = {"family": "edgetam" if edgetam else "sam2", "image_size": cfg["image_size"], "feat_size": h, "hidden_dim": channels,
            "mem_dim": cfg["memory_encoder_output_channels"], "num_maskmem": cfg["num_maskmem"], "memory_tokens": h * h}
    if edgetam:
        dims.update(latents_1d=cfg["perceiver_resampler_num_latents"], latents_2d=cfg["perceiver_resampler_num_latents_2d"])
        dims["memory_tokens"] = dims["latents_1d"] + dims["latents_2d"]
    return model, dims
