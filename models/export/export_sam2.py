#!/usr/bin/env python3
"""Export SAM 2.1 (transformers Sam2VideoModel) as a Maskline model pack and check it.

    python models/export/export_sam2.py --model facebook/sam2.1-hiera-tiny --out packs/sam2.1-tiny
    python models/export/export_sam2.py --model micro --from-local shared/fixtures/sam2-micro/hf \
        --out /tmp/micro-pack --compare-pack shared/fixtures/sam2-micro/pack

The pack (four ONNX graphs, params.bin, model.json; format `maskline-sam2` v1) is built in a
temporary folder next to --out and moved into place only when every check passed; a pack that
failed a check is left at <out>.failed for inspection. Both memory-attention variants are
exported: the one chosen with --attention is the pack's graph, the other lies in
<out>/variants/ (not part of the pack; the app ignores it) so the two can be timed side by side.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True,
                   help="facebook/sam2.1-hiera-tiny|small|base-plus|large (any label with --from-local)")
    p.add_argument("--out", required=True, help="pack folder to create")
    p.add_argument("--from-local", metavar="DIR", help="transformers folder with config.json + model.safetensors")
    p.add_argument("--fp16", action="store_true", help="float16 inside the graphs (float32 inputs/outputs); meant for CUDA")
    p.add_argument("--attention", choices=["fused", "plain"], default="fused",
                   help="memory attention the pack uses: com.microsoft MultiHeadAttention (fused) or MatMul/Softmax (plain)")
    p.add_argument("--name", help="pack name shown in the app (default: derived from --model)")
    p.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1), help="CPU threads for checks and timings")
    p.add_argument("--tolerance", type=float, help="graph parity tolerance, relative to max(1, max|ref|) (default 1e-3, 5e-2 with --fp16)")
    p.add_argument("--loop-frames", type=int, default=8, help="frames of the synthetic tracking clip (>= 4)")
    p.add_argument("--compare-pack", metavar="DIR", help="another pack of the same weights to compare output for output")
    p.add_argument("--bench", action="store_true", help="time every graph (onnxruntime plain/fused vs PyTorch)")
    p.add_argument("--bench-repeats", type=int, default=5)
    p.add_argument("--skip-checks", action="store_true", help="export only (the pack is not verified; not recommended)")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    args = p.parse_args(argv)
    from sam2export.loading import KNOWN_MODELS

    if not args.from_local and args.model not in KNOWN_MODELS:
        p.error(f"--model {args.model}: not one of {', '.join(KNOWN_MODELS)} (use --from-local DIR for other weights)")
    if args.loop_frames < 4:
        p.error("--loop-frames must be >= 4")
    if args.threads < 1:
        p.error("--threads must be >= 1")
    out = os.path.abspath(args.out)
    if os.path.exists(out) and not args.force:
        p.error(f"--out {args.out}: already exists (use --force to replace it)")
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


def export_all(model, dims, work, attention, fp16):
    """Writes the four graphs (and the other attention variant under variants/). Returns their paths."""
    from sam2export.onnx_export import convert_fp16, export_graph

    other = "plain" if attention == "fused" else "fused"
    paths = {}
    for name in ("image_encoder", "mask_decoder", "memory_encoder", "memory_attention"):
        path = os.path.join(work, f"{name}.onnx")
        t0 = time.time()
        size = export_graph(name, model, dims, path, fused_attention=(name == "memory_attention" and attention == "fused"))
        if fp16:
            size = convert_fp16(path)
        print(f"  {name:18s} {size / 1e6:8.1f} MB  {time.time() - t0:5.1f}s")
        paths[name] = path
    alt = os.path.join(work, "variants", f"memory_attention.{other}.onnx")
    size = export_graph("memory_attention", model, dims, alt, fused_attention=(other == "fused"))
    if fp16:
        size = convert_fp16(alt)
    print(f"  memory_attention ({other}, variants/) {size / 1e6:.1f} MB")
    return paths, {attention: paths["memory_attention"], other: alt}


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    import torch

    from sam2export import EXPORTER_VERSION
    from sam2export.loading import KNOWN_MODELS, load_model, model_summary, resolve_source
    from sam2export.pack_writer import GRAPH_NAMES, PARAMS_FILE, files_index, manifest, params_arrays, write_manifest, write_params

    torch.set_num_threads(args.threads)
    env = versions()
    print("versions: " + ", ".join(f"{k} {v}" for k, v in env.items()))
    if int(env["torch"].split(".")[0]) < 2 or int(env["transformers"].split(".")[0]) < 5:
        print("warning: written for torch 2.x and transformers 5.x; other versions are untested", file=sys.stderr)

    folder = resolve_source(args.model, args.from_local)
    print(f"loading {folder}")
    model, _ = load_model(folder)
    dims = model_summary(model)
    max_pointers = int(model.config.max_object_pointers_in_encoder)
    print("model: " + ", ".join(f"{k}={v}" for k, v in dims.items()))

    out = os.path.abspath(args.out)
    work = f"{out}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    print(f"exporting into {work}")
    paths, attention_variants = export_all(model, dims, work, args.attention, args.fp16)
    index = write_params(work, params_arrays(model, dims))
    listed = [f"{g}.onnx" for g in GRAPH_NAMES] + [PARAMS_FILE]
    name = args.name or KNOWN_MODELS.get(args.model, args.model) + (" (fp16)" if args.fp16 else "")
    exporter = {"tool": "models/export/export_sam2.py", "version": EXPORTER_VERSION, **env,
                "memory_attention": args.attention, "precision": "fp16" if args.fp16 else "fp32",
                "from_local": bool(args.from_local)}
    write_manifest(work, manifest(model, dims, name, args.model, index, files_index(work, listed), exporter))

    report = {"model": args.model, "dims": dims, "exporter": exporter, "checks": {}}
    ok = True
    if not args.skip_checks:
        from sam2export.graph_checks import check_all
        from sam2export.loop_check import check_loop

        tally = check_all(model, dims, {**paths, "memory_attention": attention_variants}, args.threads, args.tolerance, max_pointers)
        report["checks"]["graphs"] = {"ok": tally.ok(), "rows": tally.rows}
        ok = ok and tally.ok()
        min_iou = 0.95 if args.fp16 else 0.99
        for variant, loop in check_loop(model, work, args.loop_frames, args.threads, attention_variants, min_iou).items():
            report["checks"][f"loop[{variant}]"] = loop
            ok = ok and loop["ok"]
        if args.compare_pack:
            from sam2export.compare_pack import compare_packs

            cmp = compare_packs(work, os.path.abspath(args.compare_pack), dims, args.threads, args.tolerance, max_pointers)
            report["checks"]["compare_pack"] = cmp
            ok = ok and cmp["ok"]
    if args.bench:
        from sam2export.bench import bench

        files = {n: (n, p) for n, p in paths.items() if n != "memory_attention"}
        files.update({f"memory_attention[{v}]": ("memory_attention", p) for v, p in attention_variants.items()})
        report["bench"] = bench(model, dims, files, args.threads, args.bench_repeats, max_pointers)

    report["ok"] = ok
    with open(os.path.join(work, "export-report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, default=float)
    if not ok:
        failed = f"{out}.failed"
        shutil.rmtree(failed, ignore_errors=True)
        os.replace(work, failed)
        print(f"\nFAILED: a check did not pass; the pack was NOT installed at {out}. Inspect {failed}/export-report.json")
        return 1
    if os.path.exists(out):
        shutil.rmtree(out)
    os.replace(work, out)
    status = "exported (checks skipped)" if args.skip_checks else "exported and checked"
    print(f"\n{status}: {out}\nimport it in Maskline (Models > Add model > Import folder) or copy it into the models folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
