"""The RoPE cos/sin tables of the memory attention, read from the model's own rotary modules.

transformers 5.x has two forms: `rotary_emb()` returning the precomputed [N, head_dim] tables
(earlier 5.x; fields rope_embeddings_cos/sin), and 5.17's `rotary_emb(x, position_ids)` returning
[1, N, head_dim] for the positions the memory attention owns. Whatever form, the table must be
SAM 2's axial RoPE (x frequencies then y, each pair interleaved); it is checked against that
definition so a position layout this code does not know stops the export instead of baking a wrong
table into the graph.
"""

import torch
from torch import nn

from .compat import UnsupportedTransformers, parameter_names


def axial_table(head_dim, end_x, end_y, theta):
    """SAM 2's axial RoPE angles [end_x*end_y, head_dim] (token t at x = t % end_x, y = t // end_x)."""
    freqs = 1.0 / (theta ** (torch.arange(0, head_dim, 4)[: head_dim // 4].float() / head_dim))
    t = torch.arange(end_x * end_y, dtype=torch.long)
    x, y = t % end_x, torch.div(t, end_x, rounding_mode="floor")
    angles = torch.cat([torch.outer(x, freqs).float(), torch.outer(y, freqs).float()], dim=-1)
    return angles.repeat_interleave(2, dim=-1)


def rope_theta(config):
    params = getattr(config, "rope_parameters", None)
    if isinstance(params, dict) and "rope_theta" in params:
        return float(params["rope_theta"])
    return float(getattr(config, "memory_attention_rope_theta", 10000.0))


def _position_id_candidates(rotary, owner, end_x, end_y):
    """(label, position_ids) to try with the 5.17 form, the module's own first.

    The module's own ids (a buffer of the rotary module or of the memory attention) are what the
    reference itself passes, so when there are any only they are tried. Without them the generic
    layouts are tried, and each is only accepted if the result is SAM 2's axial table, so a wrong
    guess can never reach the graph."""
    tokens = end_x * end_y
    own = []
    for module, where in ((rotary, "rotary"), (owner, "memory_attention")):
        if module is None:
            continue
        for name, buf in module.named_buffers(recurse=False):
            if "position_ids" in name and tokens in buf.shape:
                own.append((f"{where}.{name}", buf))
        for name, value in vars(module).items():
            if "position_ids" in name and torch.is_tensor(value) and tokens in value.shape:
                own.append((f"{where}.{name}", value))
    if own:
        yield from own
        return
    t = torch.arange(tokens, dtype=torch.long)
    x, y = t % end_x, torch.div(t, end_x, rounding_mode="floor")
    yield "flat token index [1, N]", t[None]
    yield "(x, y) per token [1, N, 2]", torch.stack((x, y), dim=-1)[None]
    yield "(y, x) per token [1, N, 2]", torch.stack((y, x), dim=-1)[None]


def _tables(out):
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(f"returned {type(out).__name__}, not (cos, sin)")
    return tuple(t.detach().float().reshape(-1, t.shape[-1]) for t in out)


def _axial_error(cos, sin, angles):
    if cos.shape != angles.shape or sin.shape != angles.shape:
        return f"tables {tuple(cos.shape)}, expected {tuple(angles.shape)}"
    worst = max(float((cos - angles.cos()).abs().max()), float((sin - angles.sin()).abs().max()))
    return None if worst <= 1e-4 else f"differ from SAM 2's axial RoPE by {worst:.2e}"


def rope_tables(rotary, owner, end_x, end_y, head_dim, theta, version, where):
    """(cos, sin) float32 [end_x*end_y, head_dim] from the model's rotary module, checked."""
    tokens = end_x * end_y
    angles = axial_table(head_dim, end_x, end_y, theta)
    params = parameter_names(rotary.forward)
    if params and "position_ids" not in params:
        raise UnsupportedTransformers(version, f"{where}.forward", f"parameters {params}")
    attempts = [("no arguments", None)] if not params else list(_position_id_candidates(rotary, owner, end_x, end_y))
    tried = []
    for label, position_ids in attempts:
        try:
            with torch.no_grad():
                out = rotary() if position_ids is None else rotary(torch.zeros(1, tokens, head_dim), position_ids=position_ids)
            cos, sin = _tables(out)
        except Exception as err:  # this call form is not the one
            tried.append(f"{label}: {type(err).__name__}: {err}")
            continue
        problem = _axial_error(cos, sin, angles)
        if problem is None:
            return cos.clone(), sin.clone()
        tried.append(f"{label}: {problem}")
    raise UnsupportedTransformers(version, f"{where}.forward", "; ".join(tried))


class RotaryTable(nn.Module):
    """cos/sin rows looked up at run time from one stored copy.

    The tables are persistent buffers, so the exporter writes each as one initializer; when every
    column pair is equal (SAM 2's interleaving) only half the columns are stored and duplicated in
    the graph. The rows come from graph inputs, so constant folding cannot turn the lookup back
    into a full-size constant per use.
    """

    def __init__(self, cos, sin):
        super().__init__()
        self.halved = bool(torch.equal(cos[:, 0::2], cos[:, 1::2]) and torch.equal(sin[:, 0::2], sin[:, 1::2]))
        if self.halved:
            cos, sin = cos[:, 0::2], sin[:, 0::2]
        self.register_buffer("cos", cos.contiguous(), persistent=True)
        self.register_buffer("sin", sin.contiguous(), persistent=True)

    def _rows(self, table, rows):
        picked = table[rows]
        if self.halved:
            picked = torch.stack((picked, picked), dim=-1).flatten(-2)
        return picked

    def forward(self, rows):
        return self._rows(self.cos, rows), self._rows(self.sin, rows)
