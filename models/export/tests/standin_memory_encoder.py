"""Test helper (torch): the memory encoder (SAM 2.1 and EdgeTAM share it) and EdgeTAM's spatial
perceiver with transformers 5.17's module layout and arithmetic (...MemoryEncoder,
...MaskDownSampler, ...MemoryFuserCXBlock, ...PositionEmbeddingSine, ...PerceiverResampler and its
layers), loaded with a fixture's weights, so the exporter's MemoryEncoderGraph (+ PerceiverGraph)
can be exported and compared with the fixture pack's memory_encoder.onnx where transformers is
not installed."""

import math
import types

import torch
import torch.nn.functional as F
from torch import nn


class LayerNorm2d(nn.LayerNorm):
    """channels_first LayerNorm (eps 1e-6), as the reference's data_format="channels_first"."""

    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class SineEncoding(nn.Module):
    def __init__(self, num_pos_feats, temperature=10000, scale=2 * math.pi):
        super().__init__()
        self.num_pos_feats, self.temperature, self.scale = num_pos_feats, temperature, scale

    def forward(self, shape, device, dtype, mask=None):
        not_mask = torch.ones((shape[0], shape[2], shape[3]), device=device, dtype=dtype)
        y_embed, x_embed = not_mask.cumsum(1), not_mask.cumsum(2)
        y_embed = y_embed / (y_embed[:, -1:, :] + 1e-6) * self.scale
        x_embed = x_embed / (x_embed[:, :, -1:] + 1e-6) * self.scale
        dim_t = torch.arange(self.num_pos_feats, dtype=torch.int64, device=device).to(dtype)
        dim_t = self.temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / self.num_pos_feats)
        pos_x, pos_y = x_embed[:, :, :, None] / dim_t, y_embed[:, :, :, None] / dim_t
        pos_x = torch.stack((pos_x[:, :, :, 0::2].sin(), pos_x[:, :, :, 1::2].cos()), dim=4).flatten(3)
        pos_y = torch.stack((pos_y[:, :, :, 0::2].sin(), pos_y[:, :, :, 1::2].cos()), dim=4).flatten(3)
        return torch.cat((pos_y, pos_x), dim=3).permute(0, 3, 1, 2)


class _DownLayer(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv, self.layer_norm = nn.Conv2d(cin, cout, 3, stride=2, padding=1), LayerNorm2d(cout, eps=1e-6)

    def forward(self, x):
        return F.gelu(self.layer_norm(self.conv(x)))


class _CXBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.depthwise_conv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.layer_norm = LayerNorm2d(dim, eps=1e-6)
        self.pointwise_conv1, self.pointwise_conv2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)
        self.scale = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        h = self.layer_norm(self.depthwise_conv(x)).permute(0, 2, 3, 1)
        h = self.scale * self.pointwise_conv2(F.gelu(self.pointwise_conv1(h)))
        return x + h.permute(0, 3, 1, 2)


class MemoryEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hidden, out = cfg["memory_encoder_hidden_size"], cfg["memory_encoder_output_channels"]
        layers = int(math.log2(cfg["mask_downsampler_total_stride"]) // math.log2(cfg["mask_downsampler_stride"]))
        self.mask_downsampler = nn.Module()
        chans = [1] + [4 ** (i + 1) for i in range(layers)]
        self.mask_downsampler.layers = nn.ModuleList(_DownLayer(chans[i], chans[i + 1]) for i in range(layers))
        self.mask_downsampler.final_conv = nn.Conv2d(chans[-1], cfg["mask_downsampler_embed_dim"], 1)
        self.feature_projection = nn.Conv2d(hidden, hidden, 1)
        self.memory_fuser = nn.Module()
        self.memory_fuser.layers = nn.ModuleList(_CXBlock(cfg["memory_fuser_embed_dim"], cfg["memory_fuser_intermediate_dim"])
                                                 for _ in range(cfg["memory_fuser_num_layers"]))
        self.projection = nn.Conv2d(hidden, out, 1)
        self.position_encoding = SineEncoding(out // 2)

    def forward(self, vision_features, masks):
        for layer in self.mask_downsampler.layers:
            masks = layer(masks)
        masks = self.mask_downsampler.final_conv(masks)
        x = self.feature_projection(vision_features) + masks
        for layer in self.memory_fuser.layers:
            x = layer(x)
        x = self.projection(x)
        return x, self.position_encoding(x.shape, x.device, x.dtype)


class _PerceiverAttention(nn.Module):
    def __init__(self, dim, heads, head_dim):
        super().__init__()
        inner = heads * head_dim
        self.q_proj, self.k_proj, self.v_proj = (nn.Linear(dim, inner, bias=False) for _ in range(3))
        self.o_proj = nn.Linear(inner, dim, bias=False)
        self.heads, self.head_dim, self.scaling = heads, head_dim, head_dim ** -0.5

    def forward(self, query, key, value, positional_encoding=None):
        q, k, v = self.q_proj(query), self.k_proj(key), self.v_proj(value)
        b, nq, nk = q.shape[0], q.shape[1], k.shape[1]
        q = q.view(b, nq, self.heads, self.head_dim).transpose(1, 2)
        k = k.view(b, nk, self.heads, self.head_dim).transpose(1, 2)
        v = v.view(b, nk, self.heads, self.head_dim).transpose(1, 2)
        if positional_encoding is not None:
            pos = positional_encoding.view(b, nk, self.heads, self.head_dim).transpose(1, 2)
            k, v = k + pos, v + pos
        w = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * self.scaling, dim=-1, dtype=torch.float32)
        out = torch.matmul(w, v).transpose(1, 2).contiguous().view(b, nq, self.heads * self.head_dim)
        return self.o_proj(out)


class _PerceiverMLP(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.layer_norm = nn.LayerNorm(dim)
        self.up_proj, self.down_proj = nn.Linear(dim, hidden, bias=False), nn.Linear(hidden, dim, bias=False)

    def forward(self, x):
        return self.down_proj(F.gelu(self.up_proj(self.layer_norm(x))))


class _PerceiverLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim, heads, head_dim = (cfg["perceiver_resampler_hidden_size"], cfg["perceiver_resampler_num_attention_heads"],
                                cfg["perceiver_resampler_attention_head_dim"])
        self.cross_attention, self.self_attention = _PerceiverAttention(dim, heads, head_dim), _PerceiverAttention(dim, heads, head_dim)
        self.mlp = _PerceiverMLP(dim, cfg["perceiver_resampler_mlp_intermediate_size"])
        self.self_mlp = _PerceiverMLP(dim, cfg["perceiver_resampler_mlp_intermediate_size"])
        self.layer_norm_input, self.layer_norm_latents, self.layer_norm_self = (nn.LayerNorm(dim) for _ in range(3))

    def forward(self, latents, input_features, positional_encoding=None):
        x = self.layer_norm_input(input_features)
        latents = latents + self.cross_attention(self.layer_norm_latents(latents), x, x, positional_encoding)
        latents = latents + self.mlp(latents)
        s = self.layer_norm_self(latents)
        latents = latents + self.self_attention(s, s, s)
        return latents + self.self_mlp(latents)


class Perceiver(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim = cfg["perceiver_resampler_hidden_size"]
        self.num_latents_1d, self.num_latents_2d = cfg["perceiver_resampler_num_latents"], cfg["perceiver_resampler_num_latents_2d"]
        self.latents_1d = nn.Parameter(torch.zeros(self.num_latents_1d, dim))
        self.latents_2d = nn.Parameter(torch.zeros(self.num_latents_2d, dim))
        self.positional_encoding = SineEncoding(dim // 2)
        self.layers = nn.ModuleList(_PerceiverLayer(cfg) for _ in range(cfg["perceiver_resampler_num_layers"]))
        self.layer_norm = nn.LayerNorm(dim)


def build(cfg, weights):
    """A model-like namespace for MemoryEncoderGraph(+ PerceiverGraph) from config.json + weights."""
    edgetam = cfg["model_type"] == "edgetam_video"
    holder = nn.Module()
    holder.memory_encoder = MemoryEncoder(cfg)
    if edgetam:
        holder.spatial_perceiver = Perceiver(cfg)
    holder.occlusion_spatial_embedding_parameter = nn.Parameter(torch.zeros(1, cfg["memory_encoder_output_channels"]))
    holder.load_state_dict(weights, strict=True)
    holder.eval()
    h = cfg["image_size"] // 16
    config = types.SimpleNamespace(image_size=cfg["image_size"], sigmoid_scale_for_mem_enc=cfg["sigmoid_scale_for_mem_enc"],
                                   sigmoid_bias_for_mem_enc=cfg["sigmoid_bias_for_mem_enc"])
    model = types.SimpleNamespace(config=config, memory_encoder=holder.memory_encoder,
                                  occlusion_spatial_embedding_parameter=holder.occlusion_spatial_embedding_parameter,
                                  backbone_feature_sizes=[[4 * h, 4 * h], [2 * h, 2 * h], [h, h]])
    dims = {"family": "edgetam" if edgetam else "sam2", "image_size": cfg["image_size"], "feat_size": h,
            "hidden_dim": cfg["memory_encoder_hidden_size"], "mem_dim": cfg["memory_encoder_output_channels"],
            "num_maskmem": cfg["num_maskmem"], "memory_tokens": h * h}
    if edgetam:
        model.spatial_perceiver = holder.spatial_perceiver
        dims.update(latents_1d=cfg["perceiver_resampler_num_latents"], latents_2d=cfg["perceiver_resampler_num_latents_2d"])
        dims["memory_tokens"] = dims["latents_1d"] + dims["latents_2d"]
    return model, dims
