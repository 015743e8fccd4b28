"""export_sam2.py's argument rules (parse_args imports nothing heavy)."""

import contextlib
import io
import os
import tempfile
import unittest

from tests import support  # noqa: F401  (import path)

import export_sam2


def parse(*argv):
    return export_sam2.parse_args(list(argv))


def usage_error(*argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), self_raises() as caught:
        export_sam2.parse_args(list(argv))
    return caught, err.getvalue()


@contextlib.contextmanager
def self_raises():
    box = {}
    try:
        yield box
    except SystemExit as exit_:
        box["code"] = exit_.code
    else:
        box["code"] = None


class ParseArgs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        self.hf = os.path.join(self.root, "edgetam-micro-hf")
        os.makedirs(self.hf)
        with open(os.path.join(self.hf, "config.json"), "w") as f:
            f.write("{}")

    def tearDown(self):
        self.tmp.cleanup()

    def test_from_local_without_model_takes_the_folder_name(self):
        args = parse("--from-local", self.hf, "--out", os.path.join(self.root, "pack"))
        self.assertEqual(args.model, "edgetam-micro-hf")
        self.assertEqual(args.from_local, self.hf)

    def test_model_is_required_without_from_local(self):
        caught, err = usage_error("--out", os.path.join(self.root, "pack"))
        self.assertEqual(caught["code"], 2)
        self.assertIn("--model (or --from-local DIR)", err)

    def test_unknown_hub_id_is_refused_and_edgetam_is_known(self):
        caught, err = usage_error("--model", "facebook/sam3", "--out", os.path.join(self.root, "p"))
        self.assertEqual(caught["code"], 2)
        self.assertIn("not one of", err)
        self.assertEqual(parse("--model", "facebook/EdgeTAM", "--out", os.path.join(self.root, "edgetam")).model, "facebook/EdgeTAM")

    def test_plain_attention_is_the_default(self):
        args = parse("--model", "facebook/sam2.1-hiera-tiny", "--out", os.path.join(self.root, "p"))
        self.assertEqual(args.attention, "plain")
        self.assertEqual(parse("--model", "facebook/sam2.1-hiera-tiny", "--out", os.path.join(self.root, "q"),
                               "--attention", "fused").attention, "fused")

    def test_an_empty_existing_out_folder_is_fine(self):
        out = os.path.join(self.root, "empty")
        os.makedirs(out)
        self.assertEqual(parse("--from-local", self.hf, "--out", out).out, out)

    def test_a_non_empty_out_needs_force_and_a_file_is_refused(self):
        out = os.path.join(self.root, "full")
        os.makedirs(out)
        open(os.path.join(out, "keep.txt"), "w").close()
        caught, err = usage_error("--from-local", self.hf, "--out", out)
        self.assertEqual(caught["code"], 2)
        self.assertIn("--force", err)
        self.assertTrue(parse("--from-local", self.hf, "--out", out, "--force").force)
        afile = os.path.join(self.root, "file")
        open(afile, "w").close()
        caught, err = usage_error("--from-local", self.hf, "--out", afile, "--force")
        self.assertIn("not a folder", err)

    def test_from_local_needs_a_config(self):
        caught, err = usage_error("--from-local", self.root, "--out", os.path.join(self.root, "p"))
        self.assertEqual(caught["code"], 2)
        self.assertIn("no config.json", err)

    def test_tolerance_defaults_follow_precision(self):
        base = ["--from-local", self.hf, "--out", os.path.join(self.root, "p")]
        self.assertEqual(parse(*base).tolerance, 1e-3)
        self.assertEqual(parse(*base, "--fp16").tolerance, 5e-2)
        self.assertEqual(parse(*base, "--tolerance", "2e-3").tolerance, 2e-3)

    def test_an_out_whose_parent_is_missing_is_refused(self):
        caught, err = usage_error("--from-local", self.hf, "--out", os.path.join(self.root, "no", "such", "pack"))
        self.assertEqual(caught["code"], 2)
        self.assertIn("parent folder", err)


if __name__ == "__main__":
    unittest.main()
