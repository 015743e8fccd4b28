"""rope.py: the RoPE tables come from the model's rotary module in either transformers 5.x call
form and must be SAM 2's axial table; anything else stops with UnsupportedTransformers. The run-time
lookup returns the full table rows from half-width storage (needs torch; skipped without)."""

import unittest

from tests import support

SKIP = support.missing("torch")
if not SKIP:
    import torch
    from torch import nn

    from sam2export.compat import UnsupportedTransformers
    from sam2export.rope import RotaryTable, axial_table, rope_tables

    HEAD, EX, EY, THETA = 16, 4, 3, 10000.0

    class NoArgs(nn.Module):  # earlier 5.x: precomputed tables
        def forward(self):
            a = axial_table(HEAD, EX, EY, THETA)
            return a.cos(), a.sin()

    class WithPositions(nn.Module):
        """5.17's form: rotary(x, position_ids) -> [1, N, head_dim], angles from (x, y) per token."""

        def __init__(self, own=None, swap=False):
            super().__init__()
            self.swap = swap
            if own is not None:
                self.register_buffer("position_ids", own, persistent=False)

        def forward(self, x, position_ids):
            freqs = 1.0 / (THETA ** (torch.arange(0, HEAD, 4)[: HEAD // 4].float() / HEAD))
            if position_ids.dim() != 3:
                raise ValueError("position_ids must be [batch, tokens, 2]")
            px, py = position_ids[..., 0].float(), position_ids[..., 1].float()
            if self.swap:
                px, py = py, px
            angles = torch.cat([px[..., None] * freqs, py[..., None] * freqs], dim=-1).repeat_interleave(2, dim=-1)
            return angles.cos(), angles.sin()

    def xy_ids():
        t = torch.arange(EX * EY)
        return torch.stack((t % EX, t // EX), dim=-1)[None]


@unittest.skipIf(SKIP, SKIP)
class RopeTables(unittest.TestCase):
    def expect_axial(self, rotary, owner=None):
        cos, sin = rope_tables(rotary, owner, EX, EY, HEAD, THETA, "5.17.0", "memory_attention.rotary_emb")
        a = axial_table(HEAD, EX, EY, THETA)
        self.assertEqual(tuple(cos.shape), (EX * EY, HEAD))
        torch.testing.assert_close(cos, a.cos())
        torch.testing.assert_close(sin, a.sin())

    def test_both_call_forms(self):
        self.expect_axial(NoArgs())
        self.expect_axial(WithPositions(own=xy_ids()))  # the module's own ids
        owner = nn.Module()
        owner.register_buffer("rope_position_ids", xy_ids(), persistent=False)
        self.expect_axial(WithPositions(), owner)  # the memory attention's ids
        self.expect_axial(WithPositions())  # no own ids: the (x, y) layout is found and checked

    def test_a_table_that_is_not_sam2s_stops_the_export(self):
        with self.assertRaises(UnsupportedTransformers) as caught:
            rope_tables(WithPositions(own=xy_ids(), swap=True), None, EX, EY, HEAD, THETA, "5.18.0", "memory_attention.rotary_emb")
        message = str(caught.exception)
        self.assertIn("transformers 5.18.0", message)
        self.assertIn("memory_attention.rotary_emb.forward", message)
        self.assertIn("axial RoPE", message)

    def test_an_unknown_signature_stops_the_export(self):
        class Other(nn.Module):
            def forward(self, seq_len):
                return torch.zeros(seq_len)

        with self.assertRaises(UnsupportedTransformers) as caught:
            rope_tables(Other(), None, EX, EY, HEAD, THETA, "5.18.0", "memory_attention.rotary_emb")
        self.assertIn("parameters ['seq_len']", str(caught.exception))


@unittest.skipIf(SKIP, SKIP)
class RotaryTableLookup(unittest.TestCase):
    def test_half_storage_returns_full_rows(self):
        a = axial_table(HEAD, EX, EY, THETA)
        table = RotaryTable(a.cos(), a.sin())
        self.assertTrue(table.halved)
        self.assertEqual(tuple(table.cos.shape), (EX * EY, HEAD // 2))
        rows = torch.tensor([5, 0, 11, 5])
        cos, sin = table(rows)
        torch.testing.assert_close(cos, a.cos()[rows], rtol=0, atol=0)
        torch.testing.assert_close(sin, a.sin()[rows], rtol=0, atol=0)
        self.assertEqual(set(dict(table.named_buffers())), {"cos", "sin"})
        self.assertIn("cos", table.state_dict())  # persistent: exported as one initializer

    def test_tables_without_pair_structure_are_kept_whole(self):
        cos, sin = torch.rand(6, 8), torch.rand(6, 8)
        table = RotaryTable(cos, sin)
        self.assertFalse(table.halved)
        got, _ = table(torch.tensor([2, 3]))
        torch.testing.assert_close(got, cos[[2, 3]], rtol=0, atol=0)


if __name__ == "__main__":
    unittest.main()
