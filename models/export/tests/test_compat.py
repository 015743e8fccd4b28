"""transformers 5.x robustness rules: versions, output field spellings, unknown attributes."""

import types
import unittest

from tests import support  # noqa: F401

from sam2export.compat import UnsupportedTransformers, attribute, check_versions, feature_maps, first_attribute
from sam2export.families import EDGETAM, SAM2, detect_family


class Versions(unittest.TestCase):
    def test_table(self):
        cases = [  # torch, transformers, errors, warnings
            ("2.13.0", "5.17.0", 0, 0),
            ("2.14.1+cu126", "5.17.2", 0, 0),
            ("2.13.0", "5.18.0", 0, 1),
            ("2.13.0", "5.16.1", 1, 0),
            ("2.12.1", "5.17.0", 1, 0),
            ("2.13.0", "4.57.1", 1, 0),
            ("2.13.0", "6.0.0.dev0", 1, 0),
        ]
        for torch_v, tf_v, n_err, n_warn in cases:
            with self.subTest(torch=torch_v, transformers=tf_v):
                errors, warnings = check_versions(torch_v, tf_v)
                self.assertEqual((len(errors), len(warnings)), (n_err, n_warn), (errors, warnings))


class Attributes(unittest.TestCase):
    def test_feature_maps_in_both_spellings_and_tuples(self):
        new = types.SimpleNamespace(fpn_hidden_states=[1], fpn_position_encoding=[2])
        old = types.SimpleNamespace(feature_maps=[3], feature_maps_position_embeddings=[4])
        self.assertEqual(feature_maps(new, "5.17.0"), ([1], [2]))
        self.assertEqual(feature_maps(old, "5.0.0"), ([3], [4]))
        self.assertEqual(feature_maps(([5], [6]), "5.0.0"), ([5], [6]))

    def test_an_unknown_layout_names_the_version_and_the_attribute(self):
        with self.assertRaises(UnsupportedTransformers) as caught:
            feature_maps(types.SimpleNamespace(last_hidden_state=1), "5.99.0")
        message = str(caught.exception)
        self.assertIn("transformers 5.99.0", message)
        self.assertIn("fpn_hidden_states", message)
        self.assertIn("nothing was written", message)
        with self.assertRaises(UnsupportedTransformers) as caught:
            attribute(types.SimpleNamespace(), "spatial_perceiver", "5.20.0", "model")
        self.assertIn("model.spatial_perceiver", str(caught.exception))
        self.assertEqual(first_attribute(types.SimpleNamespace(b=2), ("a", "b"), "5.17.0", "m"), 2)


class Families(unittest.TestCase):
    def test_model_type_decides(self):
        self.assertIs(detect_family({"model_type": "sam2_video"}), SAM2)
        self.assertIs(detect_family({"model_type": "edgetam_video"}), EDGETAM)
        for bad in ({"model_type": "sam2"}, {}, []):
            with self.subTest(config=bad), self.assertRaises(ValueError):
                detect_family(bad)

    def test_fixture_configs(self):
        import json
        import os

        for name, family in (("sam2-micro", SAM2), ("edgetam-micro", EDGETAM)):
            path = os.path.join(support.SHARED, "fixtures", name, "hf", "config.json")
            if not os.path.isfile(path):
                self.skipTest(f"{path} not present")
            with open(path, encoding="utf-8") as f:
                self.assertIs(detect_family(json.load(f)), family)


if __name__ == "__main__":
    unittest.main()
