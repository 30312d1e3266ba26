// The command line's local server (127.0.0.1 only): serves the built app, the input videos with range
// requests (so the page reads them lazily, never whole), and takes the output as positioned writes
// into a temporary file that is renamed only when the job finishes.
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.mp4': 'video/mp4',
};

/** Only the app's own origin: no request leaves the machine. wasm needs 'wasm-unsafe-eval'. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'";

interface OutputFile {
  tempPath: string;
  finalPath: string;
  handle: FileHandle | null;
  state: 'writing' | 'finished' | 'discarded';
}

export class AppServer {
  private readonly server: Server;
  private readonly inputs = new Map<string, string>();
  private readonly outputs = new Map<string, OutputFile>();
  private nextId = 1;
  private origin = '';

  constructor(private readonly root: string) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      });
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.origin = `http://${host === '127.0.0.1' ? '127.0.0.1' : 'localhost'}:${address.port}`;
    return this.origin;
  }

  get url(): string {
    return `${this.origin}/`;
  }

  addInput(path: string): string {
    const id = String(this.nextId++);
    this.inputs.set(id, path);
    return `${this.origin}/cli/inputs/${id}`;
  }

  /** The output is written to a hidden temporary file beside `finalPath`. */
  addOutput(finalPath: string, tempPath: string): string {
    const id = String(this.nextId++);
    this.outputs.set(id, { tempPath, finalPath, handle: null, state: 'writing' });
    return `${this.origin}/cli/outputs/${id}`;
  }

  /** Removes an output's temporary file if the job never finished it. */
  async discardOutput(url: string): Promise<void> {
    const id = url.split('/').pop() ?? '';
    const output = this.outputs.get(id);
    if (!output || output.state !== 'writing') return;
    output.state = 'discarded';
    await output.handle?.close();
    output.handle = null;
    await rm(output.tempPath, { force: true });
  }

  outputFinished(url: string): boolean {
    return this.outputs.get(url.split('/').pop() ?? '')?.state === 'finished';
  }

  async close(): Promise<void> {
    for (const url of [...this.outputs.keys()].map((id) => `/${id}`)) await this.discardOutput(url);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const inputMatch = /^\/cli\/inputs\/(\d+)$/.exec(url.pathname);
    if (inputMatch) return this.serveFile(req, res, this.inputs.get(inputMatch[1]!) ?? null, 'application/octet-stream');
    const outputMatch = /^\/cli\/outputs\/(\d+)$/.exec(url.pathname);
    if (outputMatch) return this.writeOutput(req, res, url, this.outputs.get(outputMatch[1]!) ?? null);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const full = normalize(join(this.root, path));
    if (!full.startsWith(this.root + sep) && full !== this.root) {
      res.writeHead(403).end();
      return;
    }
    return this.serveFile(req, res, full, MIME[extname(full)] ?? 'application/octet-stream');
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse, path: string | null, type: string): Promise<void> {
    const info = path ? await stat(path).catch(() => null) : null;
    if (!path || !info || !info.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': type,
      'accept-ranges': 'bytes',
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = info.size - 1;
    let status = 200;
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      } else {
        start = Math.max(0, info.size - Number(range[2]));
      }
      if (start > end || start >= info.size) {
        res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
    }
    headers['content-length'] = info.size === 0 ? 0 : end - start + 1;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || info.size === 0) {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(path, { start, end });
      stream.on('error', reject);
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }

  private async writeOutput(req: IncomingMessage, res: ServerResponse, url: URL, output: OutputFile | null): Promise<void> {
    if (!output) {
      res.writeHead(404).end('no such output');
      return;
    }
    if (output.state !== 'writing') {
      res.writeHead(409).end(`output already ${output.state}`);
      return;
    }
    if (req.method === 'PUT') {
      const position = Number(url.searchParams.get('position'));
      if (!Number.isSafeInteger(position) || position < 0) {
        res.writeHead(400).end('bad position');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      output.handle ??= await open(output.tempPath, 'w');
      await output.handle.write(data, 0, data.length, position);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && url.searchParams.get('action') === 'reset') {
      output.handle ??= await open(output.tempPath, 'w');
      await output.handle.truncate(0);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && url.searchParams.get('action') === 'finish') {
      output.handle ??= await open(output.tempPath, 'w');
      await output.handle.sync();
      await output.handle.close();
      output.handle = null;
      await rename(output.tempPath, output.finalPath);
      output.state = 'finished';
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'DELETE') {
      output.state = 'discarded';
      await output.handle?.close();
      output.handle = null;
      await rm(output.tempPath, { force: true });
      res.writeHead(204).end();
      return;
    }
    res.writeHead(405).end();
  }
}
