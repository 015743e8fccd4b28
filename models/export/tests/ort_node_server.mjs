// Test helper: serves onnxruntime-node sessions to tests/ort_node_shim.py over stdin/stdout, one
// JSON line per request and per answer, tensors base64-encoded little-endian. Used only by the
// exporter's Python tests, so pack_tracker.py (which imports the onnxruntime Python package) can
// run on machines that have Node and onnxruntime-node but not onnxruntime for Python.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(new URL('../../../package.json', import.meta.url));
const ort = require('onnxruntime-node');
const sessions = new Map();
const arrays = { float32: Float32Array, int32: Int32Array, int64: BigInt64Array };

async function handle(req) {
  if (req.op === 'open') {
    const options = { intraOpNumThreads: req.threads ?? 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'] };
    const session = await ort.InferenceSession.create(req.path, options);
    const id = String(sessions.size + 1);
    sessions.set(id, session);
    return { id, inputs: session.inputNames, outputs: session.outputNames };
  }
  if (req.op === 'run') {
    const session = sessions.get(req.id);
    const feeds = {};
    for (const t of req.inputs) {
      const bytes = Buffer.from(t.data, 'base64');
      const Kind = arrays[t.dtype];
      if (!Kind) throw new Error(`dtype ${t.dtype} not supported`);
      const data = new Kind(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      feeds[t.name] = new ort.Tensor(t.dtype, data, t.shape);
    }
    const out = await session.run(feeds);
    return {
      outputs: session.outputNames.map((name) => {
        const t = out[name];
        const view = t.data;
        return { name, dtype: t.type, shape: t.dims, data: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') };
      }),
    };
  }
  throw new Error(`unknown op ${req.op}`);
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    answer = await handle(JSON.parse(line));
  } catch (err) {
    answer = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
