"""Where transformers 5.x releases differ, the exporter handles each known form; anything else stops
the export with one message naming the transformers version and the attribute, before a file is
written (torch-free, so the rules are unit-tested without PyTorch)."""

import inspect

PROVEN_TRANSFORMERS = (5, 17)  # the release the exporter's fixes were checked against
MIN_TORCH = (2, 13)


class UnsupportedTransformers(RuntimeError):
    """This transformers release lays out something the exporter depends on differently."""

    def __init__(self, version, attribute, detail=""):
        self.version, self.attribute = version, attribute
        tail = f": {detail}" if detail else ""
        super().__init__(
            f"transformers {version}: {attribute} is not in a form this exporter knows{tail}. "
            f"The exporter is proven on transformers {PROVEN_TRANSFORMERS[0]}.{PROVEN_TRANSFORMERS[1]}.x "
            "(pip install 'transformers==5.17.*'); nothing was written."
        )


def _numbers(version, count=2):
    out = []
    for part in str(version).split("+")[0].split(".")[:count]:
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out + [0] * (count - len(out)))


def check_versions(torch_version, transformers_version):
    """(errors, warnings) for the installed torch and transformers (requirements.txt's rules)."""
    errors, warnings = [], []
    if _numbers(torch_version) < MIN_TORCH:
        errors.append(f"torch {torch_version} is older than {MIN_TORCH[0]}.{MIN_TORCH[1]} (requirements.txt)")
    major, minor = _numbers(transformers_version)
    if major != PROVEN_TRANSFORMERS[0]:
        errors.append(f"transformers {transformers_version} is not a 5.x release (requirements.txt: 5.17.x proven)")
    elif minor < PROVEN_TRANSFORMERS[1]:
        errors.append(f"transformers {transformers_version} is older than 5.17 (the graphs' fixes follow 5.17)")
    elif minor > PROVEN_TRANSFORMERS[1]:
        warnings.append(f"transformers {transformers_version} is newer than the proven 5.17.x; "
                        "the checks decide whether this export is right")
    return errors, warnings


def attribute(obj, name, version, where):
    """obj.name, or UnsupportedTransformers naming `where.name`."""
    if not hasattr(obj, name):
        raise UnsupportedTransformers(version, f"{where}.{name}", "attribute missing")
    return getattr(obj, name)


def first_attribute(obj, names, version, where):
    """The first of several spellings a 5.x release may use."""
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    raise UnsupportedTransformers(version, f"{where}.{'|'.join(names)}", "none of these attributes exists")


# get_image_features()/vision encoder output fields: 5.17 spells them fpn_*; earlier 5.x releases
# returned feature_maps / feature_maps_position_embeddings (or a plain tuple).
_FEATURE_FIELDS = (("fpn_hidden_states", "fpn_position_encoding"), ("feature_maps", "feature_maps_position_embeddings"))


def feature_maps(result, version, where="get_image_features()"):
    """(feature maps, position encodings) from a vision output object or tuple."""
    for feats, pos in _FEATURE_FIELDS:
        a, b = getattr(result, feats, None), getattr(result, pos, None)
        if a is not None and b is not None:
            return a, b
    if isinstance(result, (tuple, list)) and len(result) >= 2:
        return result[0], result[1]
    names = "|".join(f for pair in _FEATURE_FIELDS for f in pair)
    raise UnsupportedTransformers(version, f"{where}.{names}", f"got {type(result).__name__}")


def parameter_names(fn):
    """Names of fn's parameters other than self (empty for *args-only callables)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return []
    return [n for n, p in params.items() if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
