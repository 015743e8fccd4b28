"""export-report.json keeps booleans boolean; the staging folder never outlives a crash."""

import json
import os
import tempfile
import unittest

from tests import support

from sam2export.report import jsonable, write_report
from sam2export.staging import install, keep_failed, out_problem, staging_folder


class Report(unittest.TestCase):
    def test_plain_values_pass_through(self):
        data = {"ok": True, "n": 3, "x": 0.25, "s": "a", "none": None, "rows": [(1, 2)]}
        self.assertEqual(jsonable(data), {"ok": True, "n": 3, "x": 0.25, "s": "a", "none": None, "rows": [[1, 2]]})

    def test_non_finite_floats_become_strings(self):
        self.assertEqual(jsonable([float("nan"), float("inf")]), ["nan", "inf"])

    def test_unknown_objects_are_an_error_not_a_float(self):
        with self.assertRaises(TypeError):
            jsonable({"x": object()})

    @unittest.skipIf(support.missing("numpy"), support.missing("numpy"))
    def test_numpy_booleans_stay_booleans_in_the_file(self):
        import numpy as np

        report = {"ok": np.bool_(True), "loop": {"ok": np.float64(0.9996) >= 0.99, "worst_iou": np.float32(0.5)},
                  "count": np.int64(7), "diffs": np.array([1.5, 2.0], dtype=np.float32)}
        with tempfile.TemporaryDirectory() as tmp:
            path = write_report(tmp, report)
            with open(path, encoding="utf-8") as f:
                text = f.read()
        data = json.loads(text)
        self.assertIs(data["ok"], True)
        self.assertIs(data["loop"]["ok"], True)
        self.assertNotIn("1.0", text.split('"ok"')[1][:10])
        self.assertEqual(data["count"], 7)
        self.assertEqual(data["loop"]["worst_iou"], 0.5)
        self.assertEqual(data["diffs"], [1.5, 2.0])

    def test_a_bad_report_writes_no_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(TypeError):
                write_report(tmp, {"x": object()})
            self.assertEqual(os.listdir(tmp), [])


class Staging(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "pack")

    def tearDown(self):
        self.tmp.cleanup()

    def test_out_rules(self):
        cases = [  # (prepare, force, problem substring or None)
            (lambda: None, False, None),
            (lambda: os.makedirs(self.out), False, None),
            (lambda: (os.makedirs(self.out), open(os.path.join(self.out, "a"), "w").close()), False, "not empty"),
            (lambda: (os.makedirs(self.out), open(os.path.join(self.out, "a"), "w").close()), True, None),
            (lambda: open(self.out, "w").close(), True, "not a folder"),
        ]
        for prepare, force, want in cases:
            with self.subTest(force=force, want=want):
                prepare()
                got = out_problem(self.out, force)
                if want is None:
                    self.assertIsNone(got)
                else:
                    self.assertIn(want, got)
                if os.path.isdir(self.out):
                    for n in os.listdir(self.out):
                        os.remove(os.path.join(self.out, n))
                    os.rmdir(self.out)
                elif os.path.exists(self.out):
                    os.remove(self.out)

    def test_a_crash_removes_the_partial_folder_and_re_raises(self):
        seen = {}
        with self.assertRaises(RuntimeError):
            with staging_folder(self.out) as work:
                seen["work"] = work
                open(os.path.join(work, "image_encoder.onnx"), "w").close()
                raise RuntimeError("export crashed")
        self.assertTrue(seen["work"].startswith(self.out + ".partial-"))
        self.assertFalse(os.path.exists(seen["work"]))
        self.assertEqual(os.listdir(self.tmp.name), [])

    def test_success_installs_over_an_empty_out_and_failure_keeps_the_evidence(self):
        os.makedirs(self.out)
        with staging_folder(self.out) as work:
            open(os.path.join(work, "model.json"), "w").close()
            install(work, self.out)
        self.assertEqual(os.listdir(self.out), ["model.json"])
        other = os.path.join(self.tmp.name, "other")
        with staging_folder(other) as work:
            open(os.path.join(work, "export-report.json"), "w").close()
            failed = keep_failed(work, other)
        self.assertEqual(os.listdir(failed), ["export-report.json"])
        self.assertFalse(os.path.exists(other))


if __name__ == "__main__":
    unittest.main()
