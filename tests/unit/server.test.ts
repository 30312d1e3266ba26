// The command line's local server, by raw HTTP requests as any local process could send them.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppServer } from '../../src/cli/server';
import { scratchDir } from '../scratch';

const root = scratchDir('server');

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with full control of the method, the raw path and the Host header (as curl allows). */
function send(origin: string, method: string, path: string, options: { host?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: { host: options.host ?? `${hostname}:${port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const pathOf = (url: string) => new URL(url).pathname;

describe('the command line server', () => {
  let dir: string;
  let server: AppServer;
  let origin: string;
  let inputUrl: string;
  let outputUrl: string;
  const secretInput = 'private footage '.repeat(64);

  beforeEach(async () => {
    dir = mkdtempSync(join(root, 'server-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    // An input in a folder only its owner may read.
    const privateDir = join(dir, 'private');
    mkdirSync(privateDir);
    writeFileSync(join(privateDir, 'talk.mp4'), secretInput);
    chmodSync(privateDir, 0o700);
    writeFileSync(join(dir, '.out.partial'), '');
    server = new AppServer(dir);
    origin = await server.listen();
    inputUrl = server.addInput(join(privateDir, 'talk.mp4'));
    outputUrl = server.addOutput(join(dir, '.out.partial'));
  });

  afterEach(async () => {
    await server.close();
  });

  it('refuses the requests that reset or finished a running job from outside', async () => {
    await send(origin, 'PUT', `${pathOf(outputUrl)}?position=0`, { body: 'real data' });
    // What any local process (or a web page, with a text/plain POST needing no preflight) could send.
    for (let id = 1; id <= 8; id++) {
      for (const action of ['reset', 'finish']) {
        const answer = await send(origin, 'POST', `/cli/outputs/${id}?action=${action}`, { body: 'x', headers: { 'content-type': 'text/plain' } });
        expect(answer.status).toBe(404);
      }
    }
    // The output's own id without the secret path is no better.
    const id = outputUrl.split('/').pop()!;
    expect((await send(origin, 'POST', `/outputs/${id}?action=reset`, { body: 'x' })).status).toBe(404);
    expect(server.outputComplete(outputUrl)).toBe(false);
    expect(readFileSync(join(dir, '.out.partial'), 'utf8')).toBe('real data');
  });

  it('serves inputs to no one without the secret, whatever the method', async () => {
    for (let id = 1; id <= 8; id++) {
      const answer = await send(origin, 'GET', `/cli/inputs/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('private footage');
    }
    for (const method of ['PUT', 'OPTIONS', 'POST', 'DELETE']) {
      const answer = await send(origin, method, pathOf(inputUrl), method === 'PUT' || method === 'POST' ? { body: 'x' } : {});
      expect(answer.status, method).toBe(405);
      expect(answer.body).not.toContain('private footage');
    }
  });

  it('answers only when the Host header names it (DNS rebinding)', async () => {
    const port = new URL(origin).port;
    for (const host of [`evil.example:${port}`, `localhost:${port}`, '127.0.0.1', `127.0.0.1:1`]) {
      const answer = await send(origin, 'GET', pathOf(inputUrl), { host });
      expect(answer.status, host).toBe(421);
      expect(answer.body).not.toContain('private footage');
    }
  });

  it('answers a malformed path with 400 and a plain message, not a server error', async () => {
    const answer = await send(origin, 'GET', '/%ZZ');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('serves the page its inputs with ranges, and never sends CORS headers', async () => {
    const whole = await send(origin, 'GET', pathOf(inputUrl));
    expect(whole.status).toBe(200);
    expect(whole.body).toBe(secretInput);
    const part = await send(origin, 'GET', pathOf(inputUrl), { headers: { range: 'bytes=8-14', origin: 'http://evil.example' } });
    expect(part.status).toBe(206);
    expect(part.body).toBe('footage');
    const app = await send(origin, 'GET', pathOf(server.url));
    expect(app.status).toBe(200);
    for (const answer of [whole, part, app]) {
      expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
    // The app itself is behind the secret too.
    expect((await send(origin, 'GET', '/')).status).toBe(404);
    expect((await send(origin, 'GET', '/index.html')).status).toBe(404);
  });

  it('writes an output only into the claimed file, and finishing it renames nothing', async () => {
    expect((await send(origin, 'PUT', `${pathOf(outputUrl)}?position=4`, { body: 'tail' })).status).toBe(204);
    expect((await send(origin, 'PUT', `${pathOf(outputUrl)}?position=0`, { body: 'head' })).status).toBe(204);
    expect((await send(origin, 'POST', `${pathOf(outputUrl)}?action=finish`)).status).toBe(204);
    expect(server.outputComplete(outputUrl)).toBe(true);
    expect(readFileSync(join(dir, '.out.partial'), 'utf8')).toBe('headtail');
    // Complete means no more writes, resets or discards.
    expect((await send(origin, 'POST', `${pathOf(outputUrl)}?action=reset`)).status).toBe(409);
    expect((await send(origin, 'DELETE', pathOf(outputUrl))).status).toBe(409);
    expect(readFileSync(join(dir, '.out.partial'), 'utf8')).toBe('headtail');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('answers a write it cannot do with the reason in words', async () => {
    const gone = server.addOutput(join(dir, 'missing', '.x.partial'));
    const answer = await send(origin, 'PUT', `${pathOf(gone)}?position=0`, { body: 'x' });
    expect(answer.status).toBe(500);
    expect(answer.body).toBe('the file or its folder no longer exists');
  });
});

describe('the app server (npm start)', () => {
  it('serves the app at / to localhost and has no input or output routes', async () => {
    const dir = mkdtempSync(join(root, 'app-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const server = new AppServer(dir, 'app');
    const origin = await server.listen(0, 'localhost');
    try {
      const port = new URL(origin).port;
      const address = (await import('node:dns/promises')).lookup('localhost');
      const { address: ip } = await address;
      const base = `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
      expect((await send(base, 'GET', '/', { host: `localhost:${port}` })).status).toBe(200);
      expect((await send(base, 'GET', '/', { host: `attacker.example:${port}` })).status).toBe(421);
      expect((await send(base, 'GET', '/cli/inputs/1', { host: `localhost:${port}` })).status).toBe(404);
      expect(() => server.addInput('/etc/passwd')).toThrow(/jobs mode/);
    } finally {
      await server.close();
    }
  });
});
