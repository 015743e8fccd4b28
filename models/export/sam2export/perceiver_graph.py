"""EdgeTAM's 2-D spatial perceiver over the model's own layers, restated so several objects can go
through one call: transformers 5.17's `_forward_2d` calls `.view` on an expanded tensor and fails
for more than one object. The arithmetic and order are the reference's (`_forward_1d`,
`_forward_2d`); only views of expanded tensors became reshapes, and the window partition is
written without padding (the feature map must split into whole windows).
"""

import math

import torch
from torch import nn

from .compat import UnsupportedTransformers, attribute


class PerceiverGraph(nn.Module):
    """[B, D, h, w] memory features + their position encoding -> latents [B, T, D] and positions [B, T, D]."""

    def __init__(self, model, version):
        super().__init__()
        perceiver = attribute(model, "spatial_perceiver", version, "model")
        self.layers = attribute(perceiver, "layers", version, "spatial_perceiver")
        self.norm = attribute(perceiver, "layer_norm", version, "spatial_perceiver")
        self.num_1d = int(attribute(perceiver, "num_latents_1d", version, "spatial_perceiver"))
        self.num_2d = int(attribute(perceiver, "num_latents_2d", version, "spatial_perceiver"))
        self.latents_1d = perceiver.latents_1d if self.num_1d > 0 else None
        self.latents_2d = perceiver.latents_2d if self.num_2d > 0 else None
        height, width = (int(v) for v in model.backbone_feature_sizes[-1])
        self.grid = int(math.isqrt(self.num_2d)) if self.num_2d else 0
        if self.num_2d:
            if self.grid * self.grid != self.num_2d or height % self.grid or width % self.grid or height != width:
                raise ValueError(f"{self.num_2d} grid latents do not split the {height}x{width} memory into whole windows")
            self.window = height // self.grid
            channels = int(self.latents_2d.shape[-1])
            encode = attribute(perceiver, "positional_encoding", version, "spatial_perceiver")
            try:
                with torch.no_grad():
                    pos = encode(torch.Size((1, channels, self.grid, self.grid)), "cpu", torch.float32)
            except Exception as err:  # another call form of the sine encoding
                raise UnsupportedTransformers(version, "spatial_perceiver.positional_encoding(shape, device, dtype)",
                                              f"{type(err).__name__}: {err}") from err
            # the grid's sine encoding does not depend on the input: one small constant, expanded per object
            self.register_buffer("grid_pos", pos.permute(0, 2, 3, 1).flatten(1, 2).contiguous(), persistent=True)

    def forward(self, features, pos):
        batch, channels, height, width = features.shape
        tokens = features.permute(0, 2, 3, 1).reshape(batch, height * width, channels)
        latents, positions = [], []
        if self.num_1d:
            lat = self.latents_1d.unsqueeze(0).expand(batch, -1, -1)
            pos_tokens = pos.permute(0, 2, 3, 1).reshape(batch, height * width, channels)
            for layer in self.layers:
                lat = layer(lat, tokens, pos_tokens)
            lat = self.norm(lat)
            latents.append(lat)
            positions.append(torch.zeros_like(lat))  # global latents carry no position
        if self.num_2d:
            g, ws = self.grid, self.window
            lat = self.latents_2d.unsqueeze(0).expand(batch, -1, -1).reshape(-1, 1, channels)
            windows = features.permute(0, 2, 3, 1).reshape(batch, g, ws, g, ws, channels)
            windows = windows.permute(0, 1, 3, 2, 4, 5).reshape(batch * g * g, ws * ws, channels)
            for layer in self.layers:
                lat = layer(lat, windows, None)
            lat = self.norm(lat.reshape(batch, g * g, channels))
            latents.append(lat)
            positions.append(self.grid_pos.expand(batch, -1, -1))
        return torch.cat(latents, dim=1), torch.cat(positions, dim=1)
