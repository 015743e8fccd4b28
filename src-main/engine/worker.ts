// Engine worker thread entry (onnxruntime's run blocks its thread, so the engine lives here).
export {};
