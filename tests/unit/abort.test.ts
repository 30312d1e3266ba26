import { describe, expect, it } from 'vitest';
import { abortable } from '../../src/core/abort';

describe('abortable waits', () => {
  it('end with the cancel although what they wait for never settles (a stalled encoder)', async () => {
    const controller = new AbortController();
    const stalled = new Promise<void>(() => undefined);
    const waiting = abortable(stalled, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });

  it('pass the value or the error through when no cancel comes, and refuse to start once cancelled', async () => {
    const controller = new AbortController();
    await expect(abortable(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('encoder failed')), controller.signal)).rejects.toThrow('encoder failed');
    controller.abort(new Error('cancelled'));
    await expect(abortable(Promise.resolve(1), controller.signal)).rejects.toThrow('cancelled');
  });
});
