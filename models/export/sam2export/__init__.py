"""Export a transformers Sam2VideoModel as a `maskline-sam2` v1 model pack (four ONNX graphs,
params.bin, model.json) and check the pack against the PyTorch reference.

Entry point: ../export_sam2.py. The contract is ../../../../shared/docs/model-contract.md (in the
project's shared folder); the loop the graphs serve is described in sam2-video-inference.md.
"""

EXPORTER_VERSION = "1.0.0"
