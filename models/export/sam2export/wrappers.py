"""The four graphs of the contract as nn.Modules over a loaded Sam2VideoModel.

Each wrapper reuses the model's own sub-modules and reproduces the reference arithmetic in the
same order, so the exported graph equals the PyTorch path up to kernel rounding. What the
reference decides with Python values (multimask choice, mask-or-not, pointer count) is either
left to the engine (selection) or turned into tensor inputs (has_mask_input, binarize,
num_object_pointer_tokens) so nothing is frozen at trace time.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .attention_ops import attention


class ImageEncoderGraph(nn.Module):
    """pixel_values [N,3,S,S] -> feat_s0, feat_s1 (after conv_s0/conv_s1), vision_feat, vision_pos."""

    def __init__(self, model):
        super().__init__()
        self.vision = model.vision_encoder
        self.conv_s0 = model.mask_decoder.conv_s0
        self.conv_s1 = model.mask_decoder.conv_s1

    def forward(self, pixel_values):
        out = self.vision(pixel_values)
        fpn = out.fpn_hidden_states
        pos = out.fpn_position_encoding
        vision_feat = fpn[-1]
        return (
            self.conv_s0(fpn[0]),
            self.conv_s1(fpn[1]),
            vision_feat,
            pos[-1].expand(vision_feat.shape),
        )


class MaskDecoderGraph(nn.Module):
    """Prompt encoder + mask decoder + object-pointer head, all four mask tokens out."""

    def __init__(self, model):
        super().__init__()
        self.prompt = model.prompt_encoder
        self.decoder = model.mask_decoder
        self.pointer_proj = model.object_pointer_proj
        self.num_mask_tokens = int(model.mask_decoder.num_mask_tokens)
        with torch.no_grad():
            image_pe = model.get_image_wide_positional_embeddings().float()
        # input-independent: baked as a constant instead of recomputed per call
        self.register_buffer("image_pe", image_pe.detach().clone(), persistent=False)
        self.register_buffer("no_object_pointer", model.no_object_pointer.detach().clone().float(), persistent=False)

    def forward(self, image_embed, feat_s0, feat_s1, point_coords, point_labels, mask_input, has_mask_input):
        md = self.decoder
        labels = point_labels.to(torch.int64)
        # pad=False: the contract makes the caller append the (0,0,-1) padding point itself
        sparse = self.prompt._embed_points(point_coords.unsqueeze(1), labels.unsqueeze(1), pad=False)
        mask_dense = self.prompt.mask_embed(mask_input)
        no_mask_dense = self.prompt.no_mask_embed.weight.reshape(1, -1, 1, 1).expand_as(mask_dense)
        use_mask = (has_mask_input > 0.5).reshape(-1, 1, 1, 1)
        dense = torch.where(use_mask, mask_dense, no_mask_dense)

        batch = image_embed.shape[0]
        output_tokens = torch.cat([md.obj_score_token.weight, md.iou_token.weight, md.mask_tokens.weight], dim=0)
        output_tokens = output_tokens.unsqueeze(0).unsqueeze(0).expand(batch, 1, -1, -1)
        tokens = torch.cat([output_tokens, sparse.to(output_tokens.dtype)], dim=2)
        src = image_embed + dense
        pe = self.image_pe.expand_as(src)
        queries, keys = md.transformer(tokens, src, pe, None)[:2]

        channels, height, width = image_embed.shape[1], image_embed.shape[2], image_embed.shape[3]
        mask_tokens_out = queries[:, :, 2 : 2 + self.num_mask_tokens, :]
        image = keys.transpose(2, 3).reshape(batch, channels, height, width)
        up = md.upscale_conv1(image) + feat_s1
        up = md.activation(md.upscale_layer_norm(up))
        up = md.activation(md.upscale_conv2(up) + feat_s0)
        hyper = torch.stack(
            [md.output_hypernetworks_mlps[i](mask_tokens_out[:, :, i, :]) for i in range(self.num_mask_tokens)], dim=2
        )
        up_channels, up_h, up_w = up.shape[1], up.shape[2], up.shape[3]
        masks = torch.matmul(hyper, up.reshape(batch, 1, up_channels, up_h * up_w))
        low_res_masks = masks.reshape(batch, self.num_mask_tokens, up_h, up_w)
        iou_scores = md.iou_prediction_head(queries[:, :, 1, :]).reshape(batch, self.num_mask_tokens)
        object_score_logits = md.pred_obj_score_head(queries[:, :, 0, :]).reshape(batch, 1)

        pointers = self.pointer_proj(mask_tokens_out[:, 0])
        # hard gating by the decoder's own score, in the reference's order of operations
        appearing = (object_score_logits > 0).to(pointers.dtype).unsqueeze(-1)
        pointers = appearing * pointers
        pointers = pointers + (1 - appearing) * self.no_object_pointer
        return low_res_masks, iou_scores, object_score_logits, pointers


class MemoryEncoderGraph(nn.Module):
    """Low-res mask logits -> memory features, with binarize-or-sigmoid and the occlusion embedding."""

    def __init__(self, model):
        super().__init__()
        self.encoder = model.memory_encoder
        self.image_size = int(model.config.image_size)
        self.scale = float(model.config.sigmoid_scale_for_mem_enc)
        self.bias = float(model.config.sigmoid_bias_for_mem_enc)
        occlusion = model.occlusion_spatial_embedding_parameter
        self.has_occlusion = occlusion is not None
        if self.has_occlusion:
            self.register_buffer("occlusion", occlusion.detach().clone().float().reshape(1, -1, 1, 1), persistent=False)

    def forward(self, vision_feat, mask_logits, object_score_logits, binarize):
        high_res = F.interpolate(
            mask_logits, size=(self.image_size, self.image_size), mode="bilinear", align_corners=False
        )
        use_binary = (binarize > 0.5).reshape(-1, 1, 1, 1)
        mask = torch.where(use_binary, (high_res > 0).to(high_res.dtype), torch.sigmoid(high_res))
        mask = mask * self.scale
        mask = mask + self.bias
        features, pos = self.encoder(vision_feat, mask)[:2]
        if self.has_occlusion:
            appearing = (object_score_logits > 0).to(features.dtype).reshape(-1, 1, 1, 1)
            features = features + (1 - appearing) * self.occlusion.expand_as(features)
        return features, pos.expand(features.shape)


def _rotate_pairwise(x):
    """(x0, x1, x2, x3, ...) -> (-x1, x0, -x3, x2, ...): the real form of the complex RoPE product."""
    pairs = x.reshape(x.shape[0], x.shape[1], x.shape[2], -1, 2)
    return torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).reshape(x.shape)


def _rope_tables(memory_attention):
    rotary = memory_attention.rotary_emb
    try:
        cos, sin = rotary()
    except TypeError:
        cos, sin = rotary.rope_embeddings_cos, rotary.rope_embeddings_sin
    return cos.detach().float().clone(), sin.detach().float().clone()


class MemoryAttentionGraph(nn.Module):
    """Memory attention with RoPE from tables and the pointer count as a tensor input.

    Keys get rotated with the 2-D table tiled over the spatial memories (row = token index mod hw);
    the last `num_object_pointer_tokens` keys get cos = 1, sin = 0, i.e. exactly no rotation.
    """

    def __init__(self, model, fused):
        super().__init__()
        ma = model.memory_attention
        self.layers = ma.layers
        self.norm = ma.layer_norm
        self.fused = bool(fused)
        cos, sin = _rope_tables(ma)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        self.tokens = int(cos.shape[0])
        height, width = (int(v) for v in model.backbone_feature_sizes[-1])
        if height * width != self.tokens:
            raise ValueError(f"RoPE table has {self.tokens} rows, feature map is {height}x{width}")
        self.height, self.width = height, width
        self.channels = int(model.config.memory_attention_hidden_size)

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

    def forward(self, current_features, current_pos, memory, memory_pos, num_object_pointer_tokens):
        x = current_features + 0.1 * current_pos
        # key rotation tables of length M built in-graph: nothing about M or the pointer count is traced
        ones = torch.ones_like(memory[0, :, 0])
        index = torch.cumsum(ones, dim=0) - 1
        first_pointer = ones.sum() - num_object_pointer_tokens.to(ones.dtype)
        is_pointer = (index >= first_pointer).unsqueeze(-1)
        rows = torch.remainder(index, float(self.tokens)).to(torch.int64)
        cos_rows = self.cos[rows]
        sin_rows = self.sin[rows]
        cos_k = torch.where(is_pointer, torch.ones_like(cos_rows), cos_rows)
        sin_k = torch.where(is_pointer, torch.zeros_like(sin_rows), sin_rows)
        keys = memory + memory_pos
        for layer in self.layers:
            q = layer.layer_norm1(x)
            x = x + self._attend(layer.self_attn, q, q, q, self.cos, self.sin, self.cos, self.sin)
            q = layer.layer_norm2(x)
            x = x + self._attend(layer.cross_attn_image, q, keys, memory, self.cos, self.sin, cos_k, sin_k)
            q = layer.layer_norm3(x)
            x = x + layer.linear2(layer.activation(layer.linear1(q)))
        x = self.norm(x)
        return x.transpose(1, 2).reshape(x.shape[0], self.channels, self.height, self.width)
