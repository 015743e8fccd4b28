"""Image encoder, mask decoder and memory encoder graphs as nn.Modules over a loaded model
(Sam2VideoModel or EdgeTamVideoModel; memory attention is in memory_attention_graph.py).

Each wrapper reuses the model's own sub-modules and reproduces the reference arithmetic in the
same order, so the exported graph equals the PyTorch path up to kernel rounding. What the
reference decides with Python values (multimask choice, mask-or-not, pointer count) is either
left to the engine (selection) or turned into tensor inputs (has_mask_input, binarize,
num_object_pointer_tokens) so nothing is frozen at trace time.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .compat import attribute, feature_maps


class ImageEncoderGraph(nn.Module):
    """pixel_values [N,3,S,S] -> feat_s0, feat_s1 (after conv_s0/conv_s1), vision_feat, vision_pos."""

    def __init__(self, model, version):
        super().__init__()
        self.version = version
        self.vision = attribute(model, "vision_encoder", version, "model")
        decoder = attribute(model, "mask_decoder", version, "model")
        self.conv_s0 = attribute(decoder, "conv_s0", version, "mask_decoder")
        self.conv_s1 = attribute(decoder, "conv_s1", version, "mask_decoder")

    def forward(self, pixel_values):
        fpn, pos = feature_maps(self.vision(pixel_values), self.version, "vision_encoder()")
        vision_feat = fpn[-1]
        return (
            self.conv_s0(fpn[0]),
            self.conv_s1(fpn[1]),
            vision_feat,
            pos[-1].expand(vision_feat.shape),
        )


class MaskDecoderGraph(nn.Module):
    """Prompt encoder + mask decoder + object-pointer head, all four mask tokens out."""

    def __init__(self, model, version):
        super().__init__()
        for name in ("prompt_encoder", "mask_decoder", "object_pointer_proj", "no_object_pointer"):
            attribute(model, name, version, "model")
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
    """Low-res mask logits -> memory features, with binarize-or-sigmoid and the occlusion embedding.

    SAM 2.1: features and position [B, D, h, w]. EdgeTAM: then the spatial perceiver, [B, T, D] each.
    """

    def __init__(self, model, version, perceiver=None):
        super().__init__()
        self.perceiver = perceiver
        self.encoder = attribute(model, "memory_encoder", version, "model")
        self.image_size = int(model.config.image_size)
        self.scale = float(model.config.sigmoid_scale_for_mem_enc)
        self.bias = float(model.config.sigmoid_bias_for_mem_enc)
        occlusion = attribute(model, "occlusion_spatial_embedding_parameter", version, "model")
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
            # plain broadcasting (same values as the reference's expand): torch 1.13's exporter
            # turned expand_as of this constant into an Expand of a 1-D [D] tensor
            features = features + (1 - appearing) * self.occlusion
        pos = pos.expand(features.shape)
        if self.perceiver is not None:
            return self.perceiver(features, pos)
        return features, pos
