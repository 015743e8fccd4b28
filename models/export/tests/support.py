"""Shared by the exporter's torch-free tests: import path, optional modules, fixture paths."""

import importlib.util
import os
import sys

EXPORT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(EXPORT_DIR))
SHARED = os.path.join(os.path.dirname(REPO), "shared")  # ../shared next to the checkout, as in CI
if EXPORT_DIR not in sys.path:
    sys.path.insert(0, EXPORT_DIR)


def has(module):
    return importlib.util.find_spec(module) is not None


def missing(*modules):
    """unittest skip reason naming the modules that are not installed, or None."""
    absent = [m for m in modules if not has(m)]
    return f"needs {', '.join(absent)} (not installed for {sys.executable})" if absent else None


def shared_fixture(test, name):
    """(folder, hf config) of a fixture under ../shared/fixtures; skips the test when it is absent."""
    import json

    fixture = os.path.join(SHARED, "fixtures", name)
    if not os.path.isdir(fixture):
        test.skipTest(f"../shared/fixtures/{name} not present")
    with open(os.path.join(fixture, "hf", "config.json"), encoding="utf-8") as f:
        return fixture, json.load(f)
