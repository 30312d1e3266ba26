// Temporary folders for tests, removed when the file's tests are done, so that running the suite
// again and again does not fill the temporary folder (renders, browser profiles, packet logs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A new folder `dualface-NAME-XXXXXX` in the temporary folder, removed after the calling file's
 * tests; call it at the top of a test file (folders a test makes for itself go inside one).
 * DUALFACE_KEEP_TEST_FILES=1 keeps them, to look at what a test wrote.
 */
export function scratchDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dualface-${name}-`));
  if (process.env['DUALFACE_KEEP_TEST_FILES'] !== '1') {
    afterAll(() => {
      // A file system a test mounted and could not unmount stays; the rest goes.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      } catch {
        // Left for the system's own clean-up of the temporary folder.
      }
    });
  }
  return dir;
}
