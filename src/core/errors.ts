// Errors that cross the worker boundary by name, with messages meant for the user.

export const ERROR_NAMES = [
  'InputError', // the file cannot be read as a video
  'UnsupportedInputError', // readable, but this browser cannot decode it
  'DecodeError',
  'DetectorError',
  'GpuError',
  'EncodeError',
  'OutputError',
  'AbortError',
  'InternalError',
  'WorkerLostError', // the job's worker died (crashed, out of memory): what it checkpointed can resume
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

export class DualFaceError extends Error {
  constructor(
    override readonly name: ErrorName,
    message: string,
  ) {
    super(message);
  }
}

export const inputError = (file: string, reason: string) => new DualFaceError('InputError', `${file}: ${reason}`);
export const unsupportedInput = (file: string, reason: string) => new DualFaceError('UnsupportedInputError', `${file}: ${reason}`);

/** The message of anything thrown (an Error or not). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface SerializedError {
  name: ErrorName;
  message: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof DualFaceError) return { name: error.name, message: error.message };
  if (error instanceof DOMException && error.name === 'AbortError') return { name: 'AbortError', message: 'cancelled' };
  const message = messageOf(error);
  return { name: 'InternalError', message };
}

export function deserializeError(error: SerializedError): DualFaceError {
  return new DualFaceError(ERROR_NAMES.includes(error.name) ? error.name : 'InternalError', error.message);
}

/** Wraps an unexpected error from a stage in a named error that says which stage and which file. */
export function stageError(name: ErrorName, file: string, what: string, cause: unknown): DualFaceError {
  // A named error from deeper down keeps its name and words, and gains the file if it lacks it.
  if (cause instanceof DualFaceError) return cause.message.includes(file) ? cause : new DualFaceError(cause.name, `${file}: ${cause.message}`);
  if (cause instanceof DOMException && cause.name === 'AbortError') return new DualFaceError('AbortError', `${file}: cancelled`);
  const detail = messageOf(cause);
  return new DualFaceError(name, `${file}: ${what} (${detail})`);
}
