// The inference worker thread: owns the ONNX sessions so that the extension host's
// event loop never waits on a model. Bundled to dist/inference.worker.js.

import { parentPort, workerData } from 'worker_threads';
import { Engine } from './engine';
import { serializeError } from './errors';
import type { EngineOptions, WorkerReply, WorkerRequest } from './protocol';

const port = parentPort;
if (!port) throw new Error('inference.worker must run as a worker thread');

const engine = new Engine(workerData as EngineOptions);
setInterval(() => engine.evictIdle(), 10_000).unref();

/** Requests run one at a time: a model is not re-entrant, and order is what the host asked. */
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => serve(request));
});

async function serve(request: WorkerRequest): Promise<void> {
  engine.notices.length = 0;
  const reply: WorkerReply = { id: request.id };
  try {
    reply.result = await dispatch(request);
  } catch (err) {
    reply.error = serializeError(err);
  }
  if (engine.notices.length) reply.notices = [...engine.notices];
  port!.postMessage(reply);
}

function dispatch(request: WorkerRequest): Promise<unknown> | unknown {
  switch (request.op) {
    case 'configure':
      return engine.configure(request.options);
    case 'score':
      return engine.score(request);
    case 'logits':
      return engine.logits(request.model, request.inputIds);
    case 'generate':
      return engine.generate(request);
    case 'shutdown':
      return engine.releaseAll();
  }
}
