// Failures the user can cause or fix, with a message fit for VS Code's UI (never a stack).

export type InferenceErrorCode = 'no-export' | 'too-big' | 'runtime-missing' | 'bad-input' | 'failed';

export class InferenceError extends Error {
  constructor(
    readonly code: InferenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InferenceError';
  }
}

/** What crosses the worker boundary for an error. */
export interface SerializedError {
  code: InferenceErrorCode;
  message: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof InferenceError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'failed', message: `Inference failed: ${firstLine(message)}` };
}

export function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

/** The message when the onnxruntime-node native binding cannot be loaded. */
export function runtimeMissing(err: unknown): InferenceError {
  const detail = firstLine(err instanceof Error ? err.message : String(err));
  return new InferenceError(
    'runtime-missing',
    `ONNX Runtime could not be loaded on this platform (${process.platform}-${process.arch}), so token alternatives and the playground are unavailable. Reinstall the extension for this platform. Details: ${detail}`,
  );
}
