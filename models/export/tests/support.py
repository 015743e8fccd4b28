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
