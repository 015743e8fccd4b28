"""export-report.json: plain JSON types only, so a boolean check result stays `true`/`false`
(json.dump with default=float once turned numpy booleans into 1.0)."""

import json
import math
import os


def jsonable(value):
    """value with numpy scalars/arrays and tuples turned into JSON types; anything else is an error."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    kind = type(value).__module__.split(".")[0]
    if kind == "numpy":
        import numpy as np

        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return jsonable(float(value))
        if isinstance(value, np.ndarray):
            return jsonable(value.tolist())
    raise TypeError(f"export report: {type(value).__name__} is not a JSON value ({value!r})")


def write_report(folder, report):
    path = os.path.join(folder, "export-report.json")
    data = jsonable(report)  # converted first: a bad value never leaves a half-written file
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, allow_nan=False)
        f.write("\n")
    return path
