"""The PyTorch reference for each graph, computed through the model's own code paths
(get_image_features, prompt_encoder + mask_decoder, _encode_new_memory, memory_attention) rather
than through the export wrappers, so a parity check also proves the wrappers right."""

import torch
import torch.nn.functional as F
import transformers

from .compat import UnsupportedTransformers, feature_maps, parameter_names

VERSION = transformers.__version__


@torch.no_grad()
def image_encoder(model, pixel_values):
    feats, pos = feature_maps(model.get_image_features(pixel_values), VERSION)
    n = pixel_values.shape[0]
    sizes = model.backbone_feature_sizes

    def grid(t, size):  # (HW, N, C) -> (N, C, H, W)
        return t.permute(1, 2, 0).reshape(n, -1, int(size[0]), int(size[1]))

    return [grid(feats[0], sizes[0]), grid(feats[1], sizes[1]), grid(feats[-1], sizes[-1]), grid(pos[-1], sizes[-1])]


@torch.no_grad()
def mask_decoder_row(model, image_embed, feat_s0, feat_s1, coords, labels, mask_input, use_mask):
    """One object (batch row). `coords`/`labels` are the contract's list *without* the trailing
    padding point: the reference prompt encoder appends it itself (pad=True), the graph gets it."""
    sparse, dense = model.prompt_encoder(
        input_points=coords[None, None], input_labels=labels[None, None],
        input_boxes=None, input_masks=mask_input[None] if use_mask else None,
    )
    pe = model.get_image_wide_positional_embeddings()
    md = model.mask_decoder
    common = dict(
        image_embeddings=image_embed[None], image_positional_embeddings=pe, sparse_prompt_embeddings=sparse,
        dense_prompt_embeddings=dense, high_resolution_features=[feat_s0[None], feat_s1[None]],
    )
    multi = md(multimask_output=True, **common)
    saved = md.dynamic_multimask_via_stability
    md.dynamic_multimask_via_stability = False  # token 0 as-is, no stability fallback
    try:
        single = md(multimask_output=False, **common)
    finally:
        md.dynamic_multimask_via_stability = saved
    masks = torch.cat([single[0], multi[0]], dim=2)[0, 0]
    iou = torch.cat([single[1], multi[1]], dim=2)[0, 0]
    tokens = torch.cat([single[2], multi[2]], dim=2)[0, 0]
    score = multi[3].reshape(1)
    pointers = model.object_pointer_proj(tokens)
    appearing = (score > 0).to(pointers.dtype)
    pointers = appearing * pointers
    pointers = pointers + (1 - appearing) * model.no_object_pointer
    return [masks, iou, score, pointers]


@torch.no_grad()
def edgetam_memory_encoder_row(model, vision_feat, mask_logits, score, binarize):
    """(features [T, D], pos [T, D], None): EdgeTAM's _encode_new_memory, perceiver included, one
    object as the reference calls it (its memories stay float32)."""
    size = int(model.config.image_size)
    high_res = F.interpolate(mask_logits[None], size=(size, size), mode="bilinear", align_corners=False)
    feats, pos = model._encode_new_memory(
        current_vision_feats=vision_feat[None].flatten(2).permute(2, 0, 1),
        pred_masks_high_res=high_res,
        object_score_logits=score.reshape(1, 1),
        is_mask_from_pts=bool(binarize),
    )
    return feats[0], pos[0], None


@torch.no_grad()
def memory_encoder_row(model, vision_feat, mask_logits, score, binarize, family="sam2"):
    """(float32 features, pos, bfloat16 features of the reference's own _encode_new_memory)."""
    if family == "edgetam":
        return edgetam_memory_encoder_row(model, vision_feat, mask_logits, score, binarize)
    size = int(model.config.image_size)
    high_res = F.interpolate(mask_logits[None], size=(size, size), mode="bilinear", align_corners=False)
    mask = (high_res > 0).to(high_res.dtype) if binarize else torch.sigmoid(high_res)
    mask = mask * model.config.sigmoid_scale_for_mem_enc
    mask = mask + model.config.sigmoid_bias_for_mem_enc
    feats, pos = model.memory_encoder(vision_feat[None], mask)[:2]
    occlusion = model.occlusion_spatial_embedding_parameter
    if occlusion is not None:
        appearing = (score.reshape(1, 1) > 0).float()
        feats = feats + (1 - appearing[..., None, None]) * occlusion.reshape(1, -1, 1, 1).expand(*feats.shape)
    bf16, _ = model._encode_new_memory(
        current_vision_feats=vision_feat[None].flatten(2).permute(2, 0, 1),
        pred_masks_high_res=high_res,
        object_score_logits=score.reshape(1, 1),
        is_mask_from_pts=bool(binarize),
    )
    d, h, w = feats.shape[1], feats.shape[2], feats.shape[3]
    bf16 = bf16.permute(1, 2, 0).reshape(1, d, h, w)
    return feats[0], pos[0], bf16[0]


@torch.no_grad()
def memory_attention_row(model, current_features, current_pos, memory, memory_pos, num_pointer_tokens, tokens_per_memory=None):
    """One object; positional arguments because the keyword for memory_pos has changed spelling.
    EdgeTAM's memory attention also takes the number of stored memories F = (M - P) / T."""
    extra = {}
    if tokens_per_memory is not None and hasattr(model, "spatial_perceiver"):
        if "num_spatial_memory_tokens" not in parameter_names(model.memory_attention.forward):
            raise UnsupportedTransformers(VERSION, "memory_attention.forward(num_spatial_memory_tokens)", "parameter missing")
        extra["num_spatial_memory_tokens"] = (memory.shape[0] - int(num_pointer_tokens)) // int(tokens_per_memory)
    out = model.memory_attention(
        current_features[:, None], memory[:, None], current_pos[:, None], memory_pos[:, None], int(num_pointer_tokens), **extra,
    )
    hw, c = current_features.shape
    h, w = (int(v) for v in model.backbone_feature_sizes[-1])
    return out.reshape(hw, c).transpose(0, 1).reshape(c, h, w)
