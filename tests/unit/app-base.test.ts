import { describe, expect, it } from 'vitest';
import { appBaseUrl } from '../../src/core/app-base';

describe('where a worker finds the app', () => {
  it('is the folder above the built assets, under a secret path too', () => {
    expect(appBaseUrl('http://127.0.0.1:4000/s3cr3t/assets/worker-1B4o.js')).toBe('http://127.0.0.1:4000/s3cr3t/');
    expect(appBaseUrl('http://localhost:8080/assets/detect-worker-CT0D.js')).toBe('http://localhost:8080/');
  });

  it('is the folder above src/ on the development server', () => {
    expect(appBaseUrl('http://localhost:5173/src/job/worker.ts?worker_file&type=module')).toBe('http://localhost:5173/');
  });
});
