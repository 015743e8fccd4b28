"""Export a transformers Sam2VideoModel or EdgeTamVideoModel as a `maskline-sam2` or
`maskline-edgetam` v1 model pack (four ONNX graphs, params.bin, model.json) and check the pack
against the PyTorch reference.

Entry point: ../export_sam2.py. The contract is ../../../../shared/docs/model-contract.md (in the
project's shared folder); the loop the graphs serve is described in sam2-video-inference.md, EdgeTAM's changes in
edgetam-notes.md.
"""

EXPORTER_VERSION = "1.1.0"
