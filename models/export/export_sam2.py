#!/usr/bin/env python3
"""Export SAM 2.1 (transformers Sam2VideoModel) or EdgeTAM (EdgeTamVideoModel) as a Maskline model
pack and check it against PyTorch.

    python models/export/export_sam2.py --model facebook/sam2.1-hiera-tiny --out packs/sam2.1-tiny
    python models/export/export_sam2.py --model facebook/EdgeTAM --out edgetam
    python models/export/export_sam2.py --from-local shared/fixtures/sam2-micro/hf \\
        --out /tmp/micro-pack --compare-pack shared/fixtures/sam2-micro/pack

The family comes from config.json's model_type; the pack is `maskline-sam2` or `maskline-edgetam`
v1 (four ONNX graphs, params.bin, model.json). It is built in <out>.partial-<pid> and moved into
place only when every check passed; a pack that failed a check is left at <out>.failed, and a crash
removes the partial folder. The pack's memory attention is the plain one (MatMul/Softmax) unless
--attention fused; the other variant is written to <out>/variants/ and listed under
model.json "files", so the engine can pick it per provider (docs/gpu.md).
"""

import argparse
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from sam2export.families import KNOWN_MODELS  # noqa: E402  (torch-free)
from sam2export.staging import out_problem  # noqa: E402

VARIANT_DIR = "variants"


def parse_args(argv):
    """Arguments, checked without importing torch (unit-tested in tests/test_cli.py)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="Hub id: " + ", ".join(KNOWN_MODELS) + " (with --from-local: any label, default the folder's name)")
    p.add_argument("--out", required=True, help="pack folder to create (an empty existing folder is used; --force replaces a full one)")
    p.add_argument("--from-local", metavar="DIR", help="transformers folder with config.json + model.safetensors")
    p.add_argument("--fp16", action="store_true", help="float16 inside the graphs (float32 inputs/outputs); meant for CUDA")
    p.add_argument("--attention", choices=["plain", "fused"], default="plain",
                   help="memory attention of the pack: plain MatMul/Softmax (default) or com.microsoft MultiHeadAttention (fused); "
                        "the other is written to variants/")
    p.add_argument("--name", help="pack name shown in the app (default: derived from --model)")
    p.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1), help="CPU threads for checks and timings")
    p.add_argument("--tolerance", type=float, help="graph parity tolerance, relative to max(1, max|ref|) (default 1e-3, 5e-2 with --fp16)")
    p.add_argument("--loop-frames", type=int, default=8, help="frames of the synthetic tracking clip (>= 4)")
    p.add_argument("--compare-pack", metavar="DIR", help="another pack of the same weights to compare output for output")
    p.add_argument("--bench", action="store_true", help="time every graph (onnxruntime plain/fused vs PyTorch)")
    p.add_argument("--bench-repeats", type=int, default=5)
    p.add_argument("--skip-checks", action="store_true", help="export only (the pack is not verified; not recommended)")
    p.add_argument("--force", action="store_true", help="replace an existing non-empty --out folder")
    args = p.parse_args(argv)
    if args.from_local:
        args.from_local = os.path.abspath(args.from_local)
        if not os.path.isfile(os.path.join(args.from_local, "config.json")):
            p.error(f"--from-local {args.from_local}: no config.json in that folder")
        if not args.model:
            args.model = os.path.basename(os.path.normpath(args.from_local))
    elif not args.model:
        p.error("the following arguments are required: --model (or --from-local DIR)")
    elif args.model not in KNOWN_MODELS:
        p.error(f"--model {args.model}: not one of {', '.join(KNOWN_MODELS)} (use --from-local DIR for other weights)")
    if args.loop_frames < 4:
        p.error("--loop-frames must be >= 4")
    if args.threads < 1:
        p.error("--threads must be >= 1")
    args.out = os.path.abspath(args.out)
    problem = out_problem(args.out, args.force)
    if problem:
        p.error(f"--out {args.out}: {problem}")
    if args.compare_pack and not os.path.isfile(os.path.join(args.compare_pack, "model.json")):
        p.error(f"--compare-pack {args.compare_pack}: no model.json in that folder")
    if args.tolerance is None:
        args.tolerance = 5e-2 if args.fp16 else 1e-3
    return args


def versions():
    import onnx
    import onnxruntime
    import torch
    import transformers

    return {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__}


def preflight(model, dims, version):
    """Resolves every attribute and call form the export and the checks use, before anything is
    written: an unknown transformers layout raises UnsupportedTransformers here."""
    import torch

    from sam2export.compat import UnsupportedTransformers, attribute, feature_maps, parameter_names
    from sam2export.loop_check import session_class
    from sam2export.onnx_export import build_wrapper

    # what the references and the loop check call on the model itself
    for name in ("get_image_features", "get_image_wide_positional_embeddings", "_encode_new_memory", "propagate_in_video_iterator"):
        attribute(model, name, version, "model")
    attribute(model.prompt_encoder, "_embed_points", version, "prompt_encoder")
    session_class(model)
    if dims["family"] == "edgetam" and "num_spatial_memory_tokens" not in parameter_names(model.memory_attention.forward):
        raise UnsupportedTransformers(version, "memory_attention.forward(num_spatial_memory_tokens)", "parameter missing")
    for name in ("image_encoder", "mask_decoder", "memory_encoder"):
        build_wrapper(name, model, dims, version)
    for fused in (False, True):
        build_wrapper("memory_attention", model, dims, version, fused_attention=fused)
    with torch.no_grad():
        feature_maps(model.get_image_features(torch.zeros(1, 3, dims["image_size"], dims["image_size"])), version)


def export_all(model, dims, work, attention, fp16, version):
    """Writes the four graphs and the other attention variant under variants/. Returns
    ({graph: path}, {variant: memory-attention path})."""
    from sam2export.onnx_export import convert_fp16, export_graph

    other = "fused" if attention == "plain" else "plain"
    paths = {}
    for name in ("image_encoder", "mask_decoder", "memory_encoder", "memory_attention"):
        path = os.path.join(work, f"{name}.onnx")
        t0 = time.time()
        size = export_graph(name, model, dims, path, version, fused_attention=(name == "memory_attention" and attention == "fused"))
        if fp16:
            size = convert_fp16(path)
        print(f"  {name:18s} {size / 1e6:8.1f} MB  {time.time() - t0:5.1f}s")
        paths[name] = path
    alt = os.path.join(work, VARIANT_DIR, f"memory_attention.{other}.onnx")
    size = export_graph("memory_attention", model, dims, alt, version, fused_attention=(other == "fused"))
    if fp16:
        size = convert_fp16(alt)
    print(f"  memory_attention ({other}, {VARIANT_DIR}/) {size / 1e6:.1f} MB")
    return paths, {attention: paths["memory_attention"], other: alt}


def run_checks(args, model, dims, work, paths, variants, report):
    from sam2export.graph_checks import check_all
    from sam2export.loop_check import check_loop

    max_pointers = int(model.config.max_object_pointers_in_encoder)
    tally = check_all(model, dims, {**paths, "memory_attention": variants}, args.threads, args.tolerance, max_pointers)
    report["checks"]["graphs"] = {"ok": tally.ok(), "rows": tally.rows}
    ok = tally.ok()
    min_iou = 0.95 if args.fp16 else 0.99
    for variant, loop in check_loop(model, work, args.loop_frames, args.threads, variants, min_iou).items():
        report["checks"][f"loop[{variant}]"] = loop
        ok = ok and loop["ok"]
    if args.compare_pack:
        from sam2export.compare_pack import compare_packs

        cmp = compare_packs(work, os.path.abspath(args.compare_pack), dims, args.threads, args.tolerance, max_pointers)
        report["checks"]["compare_pack"] = cmp
        ok = ok and cmp["ok"]
    return ok


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    import torch

    from sam2export import EXPORTER_VERSION
    from sam2export.compat import UnsupportedTransformers, check_versions
    from sam2export.loading import load_model, model_settings, model_summary, resolve_source
    from sam2export.pack_writer import GRAPH_NAMES, PARAMS_FILE, files_index, manifest, params_arrays, write_manifest, write_params
    from sam2export.report import write_report
    from sam2export.staging import install, keep_failed, staging_folder

    torch.set_num_threads(args.threads)
    env = versions()
    print("versions: " + ", ".join(f"{k} {v}" for k, v in env.items()))
    errors, warnings = check_versions(env["torch"], env["transformers"])
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if errors:
        print("error: " + "; ".join(errors) + ". Nothing was written.", file=sys.stderr)
        return 2

    folder = resolve_source(args.model, args.from_local)
    print(f"loading {folder}")
    try:
        model, family = load_model(folder)
        dims = model_summary(model, family)
        print("model: " + ", ".join(f"{k}={v}" for k, v in dims.items()))
        preflight(model, dims, env["transformers"])
    except UnsupportedTransformers as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    with staging_folder(args.out) as work:
        print(f"exporting into {work}")
        paths, variants = export_all(model, dims, work, args.attention, args.fp16, env["transformers"])
        index = write_params(work, params_arrays(model, dims))
        other = next(v for v in variants if v != args.attention)
        variant_file = f"{VARIANT_DIR}/memory_attention.{other}.onnx"
        # the variant is listed under "files" too: the engine uses a variant only when model.json
        # lists it (size and sha256 checked like every file), and the importer copies it (docs/gpu.md)
        listed = [f"{g}.onnx" for g in GRAPH_NAMES] + [PARAMS_FILE, variant_file]
        name = args.name or KNOWN_MODELS.get(args.model, args.model) + (" (fp16)" if args.fp16 else "")
        exporter = {"tool": "models/export/export_sam2.py", "version": EXPORTER_VERSION, **env, "family": family.name,
                    "memory_attention": args.attention, "precision": "fp16" if args.fp16 else "fp32",
                    "from_local": bool(args.from_local),
                    "variants": {f"memory_attention.{other}": {"file": variant_file, **files_index(work, [variant_file])[variant_file]}}}
        write_manifest(work, manifest(model_settings(model), dims, name, args.model, index, files_index(work, listed), exporter))

        report = {"model": args.model, "dims": dims, "exporter": exporter, "checks": {}}
        ok = True if args.skip_checks else run_checks(args, model, dims, work, paths, variants, report)
        if args.bench:
            from sam2export.bench import bench

            files = {n: (n, p) for n, p in paths.items() if n != "memory_attention"}
            files.update({f"memory_attention[{v}]": ("memory_attention", p) for v, p in variants.items()})
            report["bench"] = bench(model, dims, files, args.threads, args.bench_repeats, int(model.config.max_object_pointers_in_encoder))
        report["ok"] = ok
        write_report(work, report)
        if not ok:
            failed = keep_failed(work, args.out)
            print(f"\nFAILED: a check did not pass; the pack was NOT installed at {args.out}. Inspect {failed}/export-report.json")
            return 1
        install(work, args.out)
    status = "exported (checks skipped)" if args.skip_checks else "exported and checked"
    print(f"\n{status}: {args.out}\nimport it in Maskline (Models > Add model > Import folder) or copy it into the models folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
