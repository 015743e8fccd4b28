// Engine worker thread entry (built to out/main/engine-worker.js). onnxruntime-node's run blocks
// its thread, so the predictor lives here and the UI/service thread talks to it by messages.
import { parentPort } from 'node:worker_threads';
import { EngineHost } from './engine-host';
import { transferables, type FromWorker, type ToWorker } from './protocol';

if (!parentPort) throw new Error('engine-worker must run as a worker thread');
const port = parentPort;

const host = new EngineHost((msg: FromWorker) => {
  const value = msg.type === 'result' ? msg.value : msg.type === 'frame' ? msg.frame : null;
  port.postMessage(msg, msg.type === 'spawnPreencode' ? [msg.port] : value ? transferables(value) : []);
});

// Requests are handled concurrently so that cancel/ack messages reach a running propagation;
// the predictor itself refuses overlapping operations (BUSY).
port.on('message', (msg: ToWorker) => {
  void host.handle(msg);
});
port.on('close', () => {
  void host.shutdown();
});
