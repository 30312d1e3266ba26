// The local server (127.0.0.1 only). Two modes:
// - `jobs`: what the command line uses. Everything, the app included, lives under a secret path made
//   fresh for each run (/<secret>/...): the input videos with range requests (the page reads them
//   lazily, never whole) and the outputs as positioned writes into files the command line has
//   already claimed. A process or web page that does not know the secret gets 404 for every path, so
//   it can neither read an input nor touch an output.
// - `app`: `npm start`, the app alone at /, no input or output routes at all.
// Why TCP and not something without a port: the page reads inputs through Mediabunny's UrlSource and
// writes through fetch; intercepting those in the browser (DevTools Fetch domain) would instrument the
// page's network, which is what AutomationTab avoids to keep the renderer's memory flat.
// In both modes: the Host header must name this server (no DNS rebinding), each route answers only
// the methods it needs, no CORS headers are ever sent, and errors are short plain messages.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { messageOf } from '../core/errors';
import { writeAll } from './files';
import { isCheckpoint, type Checkpoint } from '../media/packet-log';

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

/** Sent with every response: no other origin may embed or sniff what this server answers. */
const COMMON_HEADERS = {
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export type ServerMode = 'jobs' | 'app';

interface OutputFile {
  /** A file the caller created (claimed) before handing it to the server. */
  tempPath: string;
  handle: FileHandle | null;
  state: 'writing' | 'complete' | 'discarded';
  /** A packet log: told each checkpoint once the bytes before it are on disk (the last one completes it). */
  onCheckpoint: ((checkpoint: Checkpoint) => Promise<void>) | null;
}

/** A problem answered to the client: status and a plain message. */
class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** File-system errors in words, without the library's codes. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the disk';
    case 'EDQUOT':
      return 'the disk quota is exhausted';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the folder is on a read-only file system';
    case 'ENOENT':
      return 'the file or its folder no longer exists';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return messageOf(error).replace(/^[A-Z]+: /, '');
  }
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

export class AppServer {
  private readonly server: Server;
  private readonly inputs = new Map<string, string>();
  private readonly outputs = new Map<string, OutputFile>();
  /** The path prefix every request must start with (`/<secret>` in jobs mode, empty in app mode). */
  private readonly prefix: string;
  private hosts: readonly string[] = [];
  private origin = '';

  constructor(
    private readonly root: string,
    private readonly mode: ServerMode = 'jobs',
  ) {
    this.prefix = mode === 'jobs' ? `/${randomBytes(32).toString('base64url')}` : '';
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const problem = error instanceof HttpProblem ? error : new HttpProblem(500, describeFsError(error));
        if (!res.headersSent) res.writeHead(problem.status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
        res.end(problem.message);
      });
    });
  }

  /** `host` 127.0.0.1 (default) or localhost (the app mode, for a browser the user opens). */
  async listen(port = 0, host: '127.0.0.1' | 'localhost' = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const { port: bound } = this.server.address() as AddressInfo;
    this.hosts = host === '127.0.0.1' ? [`127.0.0.1:${bound}`] : [`localhost:${bound}`, `127.0.0.1:${bound}`, `[::1]:${bound}`];
    this.origin = `http://${host}:${bound}`;
    return this.origin;
  }

  /** The app's address (with the secret path in jobs mode). */
  get url(): string {
    return `${this.origin}${this.prefix}/`;
  }

  /** `127.0.0.1:PORT`: for messages; it holds no secret. */
  get address(): string {
    return this.hosts[0] ?? '';
  }

  addInput(path: string): string {
    this.requireJobs();
    const id = newId();
    this.inputs.set(id, path);
    return `${this.origin}${this.prefix}/inputs/${id}`;
  }

  /** `tempPath` must exist already (claimed by the caller); writes go into it, never elsewhere. */
  addOutput(tempPath: string): string {
    return this.register({ tempPath, handle: null, state: 'writing', onCheckpoint: null });
  }

  /**
   * A packet log (`logPath` exists already): positioned writes and checkpoints, each made durable
   * (fsync) before `onCheckpoint` records it. The complete checkpoint completes the output.
   */
  addLog(logPath: string, onCheckpoint: (checkpoint: Checkpoint) => Promise<void>): string {
    return this.register({ tempPath: logPath, handle: null, state: 'writing', onCheckpoint });
  }

  private register(output: OutputFile): string {
    this.requireJobs();
    const id = newId();
    this.outputs.set(id, output);
    return `${this.origin}${this.prefix}/outputs/${id}`;
  }

  /** Whether the page finished the output (all written and flushed to disk). */
  outputComplete(url: string): boolean {
    return this.output(url)?.state === 'complete';
  }

  /** Stops taking writes for an output and closes its file; the caller removes or renames it. */
  async releaseOutput(url: string): Promise<void> {
    const output = this.output(url);
    if (output) await release(output);
  }

  async close(): Promise<void> {
    for (const output of this.outputs.values()) await release(output);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private output(url: string): OutputFile | undefined {
    return this.outputs.get(url.split('/').pop() ?? '');
  }

  private requireJobs(): void {
    if (this.mode !== 'jobs') throw new Error('inputs and outputs are served in jobs mode only');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.hosts.includes(req.headers.host ?? '')) throw new HttpProblem(421, 'wrong host');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw new HttpProblem(400, 'bad path');
    }
    if (!path.startsWith(this.prefix + '/')) throw new HttpProblem(404, 'not found');
    path = path.slice(this.prefix.length);
    if (this.mode === 'jobs') {
      const input = /^\/inputs\/([\w-]+)$/.exec(path);
      if (input) return this.serveInput(req, res, this.inputs.get(input[1]!));
      const output = /^\/outputs\/([\w-]+)$/.exec(path);
      if (output) return this.writeOutput(req, res, url, this.outputs.get(output[1]!));
    }
    return this.serveApp(req, res, path);
  }

  private async serveInput(req: IncomingMessage, res: ServerResponse, path: string | undefined): Promise<void> {
    if (!path) throw new HttpProblem(404, 'not found');
    allowMethods(req, ['GET', 'HEAD']);
    return this.serveFile(req, res, path, 'application/octet-stream');
  }

  private async serveApp(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    allowMethods(req, ['GET', 'HEAD']);
    if (path.endsWith('/')) path += 'index.html';
    const full = normalize(join(this.root, path));
    if (!full.startsWith(this.root + sep)) throw new HttpProblem(404, 'not found');
    return this.serveFile(req, res, full, MIME[extname(full)] ?? 'application/octet-stream');
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse, path: string, type: string): Promise<void> {
    const info = await stat(path).catch(() => null);
    if (!info || !info.isFile()) throw new HttpProblem(404, 'not found');
    const headers: Record<string, string | number> = {
      ...COMMON_HEADERS,
      'content-type': type,
      'accept-ranges': 'bytes',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    };
    const range = byteRange(req.headers.range, info.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...COMMON_HEADERS, 'content-range': `bytes */${info.size}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: info.size - 1 };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
    headers['content-length'] = info.size === 0 ? 0 : end - start + 1;
    res.writeHead(range ? 206 : 200, headers);
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

  private async writeOutput(req: IncomingMessage, res: ServerResponse, url: URL, output: OutputFile | undefined): Promise<void> {
    if (!output) throw new HttpProblem(404, 'not found');
    allowMethods(req, ['PUT', 'POST', 'DELETE']);
    if (output.state !== 'writing') throw new HttpProblem(409, `the output is already ${output.state}`);
    const action = req.method === 'PUT' ? 'write' : req.method === 'DELETE' ? 'discard' : url.searchParams.get('action');
    try {
      switch (action) {
        case 'write': {
          const position = Number(url.searchParams.get('position'));
          if (!Number.isSafeInteger(position) || position < 0) throw new HttpProblem(400, 'bad position');
          const data = await readBody(req);
          output.handle ??= await open(output.tempPath, 'r+');
          await writeAll(output.handle, data, position);
          break;
        }
        case 'checkpoint': {
          if (!output.onCheckpoint) throw new HttpProblem(400, 'unknown action');
          let checkpoint: unknown;
          try {
            checkpoint = JSON.parse((await readBody(req)).toString('utf8'));
          } catch {
            throw new HttpProblem(400, 'bad checkpoint');
          }
          if (!isCheckpoint(checkpoint)) throw new HttpProblem(400, 'bad checkpoint');
          output.handle ??= await open(output.tempPath, 'r+');
          await output.handle.sync();
          await output.onCheckpoint(checkpoint);
          if (checkpoint.complete) {
            await output.handle.close();
            output.handle = null;
            output.state = 'complete';
          }
          break;
        }
        case 'reset':
          if (output.onCheckpoint) throw new HttpProblem(400, 'unknown action');
          output.handle ??= await open(output.tempPath, 'r+');
          await output.handle.truncate(0);
          break;
        case 'finish':
          // Flushed to disk before it counts as complete; the command line renames it afterwards.
          output.handle ??= await open(output.tempPath, 'r+');
          await output.handle.sync();
          await output.handle.close();
          output.handle = null;
          output.state = 'complete';
          break;
        case 'discard':
          output.state = 'discarded';
          await output.handle?.close();
          output.handle = null;
          await rm(output.tempPath, { force: true });
          break;
        default:
          throw new HttpProblem(400, 'unknown action');
      }
    } catch (error) {
      if (error instanceof HttpProblem) throw error;
      throw new HttpProblem(500, describeFsError(error));
    }
    res.writeHead(204, COMMON_HEADERS).end();
  }
}

async function release(output: OutputFile): Promise<void> {
  if (output.state === 'writing') output.state = 'discarded';
  await output.handle?.close().catch(() => undefined);
  output.handle = null;
}

function allowMethods(req: IncomingMessage, methods: readonly string[]): void {
  if (!methods.includes(req.method ?? '')) throw new HttpProblem(405, 'method not allowed');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A single `bytes=` range: null for the whole file. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const range = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!range || (!range[1] && !range[2])) return null;
  let start: number;
  let end = size - 1;
  if (range[1]) {
    start = Number(range[1]);
    if (range[2]) end = Math.min(Number(range[2]), size - 1);
  } else {
    start = Math.max(0, size - Number(range[2]));
  }
  if (start > end || start >= size) return 'unsatisfiable';
  return { start, end };
}
