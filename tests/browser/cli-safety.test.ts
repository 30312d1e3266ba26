// The command line as a security reviewer and a demanding user try it: requests from other local
// processes while a job runs, colliding output names, Ctrl-C, a full disk, bad tracks files, and a
// net-log of a whole run. Every check runs the real CLI with real Chromium on real footage.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFaithfulOutput, fixture, probe, ROOT, runCli, startCli, until } from './helpers';
import { scratchDir } from '../scratch';

const dir = scratchDir('safety');
const headpose = () => fixture('two-people-headpose-480x270.mp4');
const cut = () => fixture('one-person-with-cut-640x360.mp4');

function httpStatus(port: number, method: string, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ hostname: '127.0.0.1', port, method, path, headers: { host, 'content-type': 'text/plain' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('latin1')));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' || method === 'PUT' ? 'x' : undefined);
  });
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

const frameCount = async (file: string) => Number((await probe(file)).streams.find((s) => s.codec_type === 'video')!.nb_read_frames);

describe('a running job, attacked by another local process', () => {
  const out = join(dir, 'attacked');
  const netLog = join(dir, 'net-log.json');
  const answers: { status: number; body: string; what: string }[] = [];
  let code: number | null = null;
  let stderr = '';
  let serverPort = 0;

  beforeAll(async () => {
    const run = startCli([cut(), '--out', out], { DUALFACE_DEBUG: '1', DUALFACE_NET_LOG: netLog });
    await until(() => /local server on 127\.0\.0\.1:\d+/.test(run.stderr()) || run.child.exitCode !== null, 'the server address');
    if (run.child.exitCode !== null) throw new Error(`the CLI ended early: ${run.stderr()}`);
    const port = Number(/local server on 127\.0\.0\.1:(\d+)/.exec(run.stderr())![1]);
    serverPort = port;
    await until(() => /rendering/.test(run.stderr()) || run.child.exitCode !== null, 'the render');
    // The requests that reset or finished a running job's output and read its input (ids ran 1, 3, 5...).
    for (let round = 0; round < 3 && run.child.exitCode === null; round++) {
      for (let id = 1; id <= 6; id++) {
        for (const action of ['reset', 'finish']) {
          const what = `POST /cli/outputs/${id}?action=${action}`;
          answers.push({ what, ...(await httpStatus(port, 'POST', `/cli/outputs/${id}?action=${action}`).catch(() => ({ status: 0, body: '' }))) });
        }
        for (const method of ['GET', 'PUT', 'OPTIONS']) {
          answers.push({
            what: `${method} /cli/inputs/${id}`,
            ...(await httpStatus(port, method, `/cli/inputs/${id}`).catch(() => ({ status: 0, body: '' }))),
          });
        }
        answers.push({
          what: 'DNS-rebound GET',
          ...(await httpStatus(port, 'GET', `/cli/inputs/${id}`, `attacker.example:${port}`).catch(() => ({ status: 0, body: '' }))),
        });
      }
      answers.push({ what: 'GET /%ZZ', ...(await httpStatus(port, 'GET', '/%ZZ').catch(() => ({ status: 0, body: '' }))) });
    }
    code = await run.exited;
    stderr = run.stderr();
  });

  it('answers none of the requests, and the job still writes a whole, faithful file', async () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) {
      // 0: the server had already closed (the job ended); never 2xx, never a server error.
      expect([0, 400, 404, 421], answer.what).toContain(answer.status);
      expect(answer.body).not.toMatch(/ftyp|moov|mdat/);
    }
    expect(code, stderr).toBe(0);
    await expectFaithfulOutput(cut(), join(out, 'one-person-with-cut-640x360.dualface.mp4'), { width: 1920, height: 1080 });
  });

  it('reaches no host but 127.0.0.1: no lookup, no connection, no packet (net-log of the whole run)', () => {
    const log = JSON.parse(readFileSync(netLog, 'utf8')) as {
      constants: { logEventTypes: Record<string, number> };
      events: { type: number; params?: Record<string, unknown> }[];
    };
    const names = Object.fromEntries(Object.entries(log.constants.logEventTypes).map(([k, v]) => [v, k]));
    const hostOf = (value: unknown) => {
      const text = String(value);
      try {
        return new URL(text.includes('://') ? text : `http://${text}`).hostname;
      } catch {
        return text;
      }
    };
    const urls = new Set<string>();
    const ports = new Set<string>();
    const resolved = new Set<string>();
    const tcp = new Set<string>();
    let udpSent = 0;
    for (const event of log.events) {
      const name = names[event.type] ?? '';
      const params = event.params ?? {};
      if (typeof params['url'] === 'string') {
        urls.add(hostOf(params['url']));
        if (params['url'].startsWith('http')) ports.add(new URL(params['url']).port);
      }
      if (name.startsWith('HOST_RESOLVER') && params['host'] !== undefined) resolved.add(hostOf(params['host']));
      if (name === 'TCP_CONNECT_ATTEMPT' || name === 'TCP_CONNECT') if (params['address'] !== undefined) tcp.add(hostOf(params['address']));
      // Chromium connect()s a UDP socket to a public IPv6 address to learn whether IPv6 is routable;
      // a UDP connect sends nothing, and nothing may be sent on it.
      if (name === 'UDP_BYTES_SENT') udpSent++;
    }
    expect(urls.size).toBeGreaterThan(0);
    expect([...urls]).toEqual(['127.0.0.1']);
    // Our server, or port 0 where the browser's own services are sent so that they reach nothing.
    expect([...ports].filter((p) => p !== String(serverPort) && p !== '0')).toEqual([]);
    expect([...resolved].filter((h) => h !== '127.0.0.1')).toEqual([]);
    expect([...tcp]).toEqual(['127.0.0.1']);
    expect(udpSent).toBe(0);
  });
});

describe('output names', () => {
  const inputs = join(dir, 'names');
  const out = join(dir, 'names-out');
  const report = join(dir, 'names-report.json');

  beforeAll(() => {
    mkdirSync(join(inputs, 'a'), { recursive: true });
    mkdirSync(join(inputs, 'b'), { recursive: true });
    // Three inputs of different lengths, so each output shows whose frames it holds.
    symlinkSync(headpose(), join(inputs, 'x-2.mp4'));
    symlinkSync(fixture('speakers/speaking_4.mp4'), join(inputs, 'a', 'x.mp4'));
    symlinkSync(fixture('speakers/silence_5.mp4'), join(inputs, 'b', 'x.mp4'));
  });

  it('are distinct for x-2.mp4, a/x.mp4 and b/x.mp4: each output holds its own input, listed once', async () => {
    const files = ['x-2.mp4', 'a/x.mp4', 'b/x.mp4'].map((f) => join(inputs, f));
    const result = await runCli([...files, '--out', out, '--size', '480x270', '--report', report]);
    expect(result.code, result.stderr).toBe(0);
    const expected: Record<string, string> = { 'x-2.dualface.mp4': files[0]!, 'x.dualface.mp4': files[1]!, 'x-3.dualface.mp4': files[2]! };
    expect(readdirSync(out).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, input] of Object.entries(expected)) expect(await frameCount(join(out, name)), name).toBe(await frameCount(input));
    const jobs = (JSON.parse(readFileSync(report, 'utf8')) as { jobs: { output: string; status: string }[] }).jobs;
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);
    expect(new Set(jobs.map((j) => j.output)).size).toBe(3);
  });

  it("keep an existing output and skip its input unless --overwrite; a live run's output is refused, a killed run's taken over", async () => {
    const before = statSync(join(out, 'x.dualface.mp4')).mtimeMs;
    // Another run, alive (this test's own process stands for it), is writing y's output into the same folder.
    symlinkSync(headpose(), join(inputs, 'y.mp4'));
    writeFileSync(join(out, '.y.dualface.mp4.partial'), 'another run');
    writeFileSync(join(out, '.y.dualface.owner'), JSON.stringify({ pid: process.pid, host: hostname() }));
    const again = await runCli([join(inputs, 'a', 'x.mp4'), join(inputs, 'y.mp4'), '--out', out, '--size', '480x270', '--jobs', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a\/x\.mp4: skipped, \S+x\.dualface\.mp4 exists already \(--overwrite replaces it\)/);
    expect(again.stderr).toContain(`y.mp4: another dualface run (process ${process.pid} on ${hostname()}) is writing ${join(out, 'y.dualface.mp4')}`);
    expect(statSync(join(out, 'x.dualface.mp4')).mtimeMs).toBe(before);
    expect(readFileSync(join(out, '.y.dualface.mp4.partial'), 'utf8')).toBe('another run');
    expect(existsSync(join(out, 'y.dualface.mp4'))).toBe(false);

    // The same files of a run that is gone (killed: its process no longer exists) are ours to replace.
    writeFileSync(join(out, '.y.dualface.owner'), JSON.stringify({ pid: deadPid(), host: hostname() }));
    const taken = await runCli([join(inputs, 'y.mp4'), '--out', out, '--size', '480x270']);
    expect(taken.code, taken.stderr).toBe(0);
    expect(await frameCount(join(out, 'y.dualface.mp4'))).toBe(await frameCount(headpose()));
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);

    // b/x.mp4 alone is named x: with --overwrite it replaces a/x.mp4's output.
    const replaced = await runCli([join(inputs, 'b', 'x.mp4'), '--out', out, '--size', '480x270', '--overwrite']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await frameCount(join(out, 'x.dualface.mp4'))).toBe(await frameCount(join(inputs, 'b', 'x.mp4')));
  });
});

describe('Ctrl-C', () => {
  it('exits 130 with one line, removes partial files (a render without a checkpoint yet has nothing to keep), and writes the report of what finished', async () => {
    const out = join(dir, 'cancelled');
    const report = join(dir, 'cancelled-report.json');
    const run = startCli([headpose(), cut(), headpose(), '--out', out, '--tracks', '--jobs', '1', '--report', report]);
    // Mid-render of the second input, after the first has finished.
    await until(() => /\[2\/3\][^\n]*rendering/.test(run.stderr()) || run.child.exitCode !== null, 'the second job to render', 180);
    expect(run.child.exitCode, `the CLI ended before the Ctrl-C: ${run.stderr()}`).toBeNull();
    const before = run.stderr().length;
    process.kill(-run.child.pid!, 'SIGINT');
    const code = await run.exited;
    const after = run.stderr().slice(before).trim();
    expect(code, run.stderr()).toBe(130);
    expect(after.split('\n')).toHaveLength(2);
    expect(after).toMatch(/^dualface: cancelled; what was rendered is kept: run the same command again to resume/);
    expect(after).toMatch(/report: /);
    expect(run.stderr()).not.toMatch(/Target page|browser (error|log)| {4}at /);
    const jobs = (JSON.parse(readFileSync(report, 'utf8')) as { jobs: { input: string; status: string; output: string | null }[] }).jobs;
    expect(jobs.map((j) => j.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(readdirSync(out).sort()).toEqual(['two-people-headpose-480x270.dualface.mp4', 'two-people-headpose-480x270.tracks.json']);
    await expectFaithfulOutput(headpose(), join(out, 'two-people-headpose-480x270.dualface.mp4'), { width: 1920, height: 1080 });
  });
});

/** A small file system that fills up: tmpfs, where this user may mount one (root on Linux). */
function mountTmpfs(path: string, bytes: number): boolean {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted: string[] = [];
const canMount = (() => {
  const probeDir = join(dir, 'mount-probe');
  const ok = process.platform === 'linux' && mountTmpfs(probeDir, 4096);
  if (ok) mounted.push(probeDir);
  return ok;
})();
afterAll(() => {
  for (const path of mounted) {
    try {
      execFileSync('umount', [path]);
    } catch {
      // Left mounted in the temporary folder; nothing else depends on it.
    }
  }
});

describe.skipIf(!canMount)('a full disk (tmpfs)', () => {
  const page = 4096;

  it('--out on a read-only file system says so', async () => {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=65536', 'tmpfs', readOnly]);
    mounted.push(readOnly);
    const out = join(readOnly, 'a', 'b');
    const result = await runCli([headpose(), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${out}: the output folder could not be created: the folder is on a read-only file system`);
  });

  it('while the tracks file is written: the job fails naming the input, and leaves neither file', async () => {
    // The same job to a roomy folder first, to know how much the MP4 and the tracks file take.
    const roomy = join(dir, 'roomy');
    const first = await runCli([headpose(), '--out', roomy, '--tracks', '--debug-overlay', '--size', '480x270']);
    expect(first.code, first.stderr).toBe(0);
    const mp4Pages = Math.ceil(statSync(join(roomy, 'two-people-headpose-480x270.dualface.mp4')).size / page);
    const tracksPages = Math.ceil(statSync(join(roomy, 'two-people-headpose-480x270.tracks.json')).size / page);
    expect(tracksPages, 'the tracks file must be larger than the room left for it').toBeGreaterThan(2);
    const full = join(dir, 'full-at-tracks');
    // Room for the MP4 and the small files beside it while it is made (journal, owner), not for the tracks file.
    expect(mountTmpfs(full, (mp4Pages + 3) * page)).toBe(true);
    mounted.push(full);
    const result = await runCli([headpose(), '--out', full, '--tracks', '--debug-overlay', '--size', '480x270']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/two-people-headpose-480x270\.mp4: the tracks file \S+ could not be written: no space left on the disk/);
    expect(readdirSync(full)).toEqual([]);
  });

  it('while the MP4 is written: the message names the input and says why in words', async () => {
    const full = join(dir, 'full-at-mp4');
    expect(mountTmpfs(full, 64 * page)).toBe(true);
    mounted.push(full);
    const result = await runCli([headpose(), '--out', full]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/two-people-headpose-480x270\.mp4: the output could not be written: no space left on the disk/);
    expect(result.stderr).not.toMatch(/\b500\b|ENOSPC/);
    expect(readdirSync(full)).toEqual([]);
  });
});

describe('--tracks-in', () => {
  const tracksFor = (source: { width: number; height: number; frames: number }, crop: { x: number; y: number; w: number; h: number }) => ({
    version: 1,
    source: { file: 'x.mp4', fps: 12, ...source },
    output: { file: 'x.dualface.mp4', width: 480, height: 270, layout: 'side-by-side' },
    frames: Array.from({ length: source.frames }, (_, i) => ({ t: i / 12, panels: [{ x: 0, y: 0, w: 240, h: 270 }, crop] })),
  });

  it('refuses crops far outside the source, before starting anything', async () => {
    const file = join(dir, 'outside.tracks.json');
    writeFileSync(file, JSON.stringify(tracksFor({ width: 480, height: 270, frames: 56 }, { x: 5000, y: 0, w: 240, h: 270 })));
    const out = join(dir, 'outside-out');
    const result = await runCli([headpose(), '--out', out, '--tracks-in', file, '--size', '480x270']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${file}: not a usable tracks file (frame 0: a crop reaches 4760 px past the right edge of the 480x270 source, in a shot not listed in "padded")`,
    );
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('refuses a tracks file made for another video (another size and frame count)', async () => {
    const file = join(dir, 'other.tracks.json');
    writeFileSync(file, JSON.stringify(tracksFor({ width: 480, height: 270, frames: 56 }, { x: 240, y: 0, w: 240, h: 270 })));
    const out = join(dir, 'other-out');
    const result = await runCli([cut(), '--out', out, '--tracks-in', file, '--size', '480x270']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `one-person-with-cut-640x360.mp4: the tracks file ${file} does not belong to this video (it was made for a 480x270 video; this one is 640x360)`,
    );
    expect(readdirSync(out)).toEqual([]);
    // The right video with the same file renders.
    const good = await runCli([headpose(), '--out', out, '--tracks-in', file, '--size', '480x270']);
    expect(good.code, good.stderr).toBe(0);
  });
});

describe('--tracks-in, checked before the render', () => {
  it('a frames list shorter than the video is refused at once, naming the tracks file', async () => {
    const file = join(dir, 'short.tracks.json');
    const frames = Array.from({ length: 20 }, (_, i) => ({
      t: i / 12,
      panels: [
        { x: 0, y: 0, w: 240, h: 270 },
        { x: 240, y: 0, w: 240, h: 270 },
      ],
    }));
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        source: { file: 'x.mp4', width: 480, height: 270, fps: 12 },
        output: { file: 'x.dualface.mp4', width: 480, height: 270, layout: 'side-by-side' },
        frames,
      }),
    );
    const out = join(dir, 'short-out');
    const result = await runCli([headpose(), '--out', out, '--tracks-in', file, '--size', '480x270']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the tracks file ${file} does not belong to this video (it lists 20 frames; this video has 56)`);
    expect(result.stderr).not.toMatch(/rendering/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a huge nested array is refused without reading it into memory', async () => {
    const file = join(dir, 'nested.tracks.json');
    writeFileSync(file, `{"version":1,"frames":${'['.repeat(25_000_000)}${']'.repeat(25_000_000)}}`);
    const result = await runCli([headpose(), '--out', join(dir, 'nested-out'), '--tracks-in', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: not a usable tracks file (nested more than 8 levels deep (a tracks file nests 5))`);
  });
});

/** Another user to run as: root can become `nobody` with runuser (Linux). */
const canRunAsNobody = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('runuser', ['-u', 'nobody', '--', 'true'], { stdio: 'ignore' });
    // The folders made for that user are inside this file's temporary folder: it must let them in.
    chmodSync(dir, 0o755);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canRunAsNobody)('the browser sandbox', () => {
  it('is on when the user is not root: no --no-sandbox, and its sandboxed processes run under a seccomp filter', async () => {
    const home = mkdtempSync(join(dir, 'nobody-'));
    execFileSync('chmod', ['777', home]);
    const out = join(home, 'out');
    // A setup's own flags (CHROME_FLAGS) may say --no-sandbox for root; here the user is not root.
    const ownFlags = process.env['CHROME_FLAGS'];
    const flags = ownFlags
      ? [
          `CHROME_FLAGS=${ownFlags
            .split(' ')
            .filter((f) => f !== '--no-sandbox')
            .join(' ')}`,
        ]
      : [];
    const child = spawn(
      'runuser',
      [
        '-u',
        'nobody',
        '--',
        'env',
        `HOME=${home}`,
        ...flags,
        process.execPath,
        resolve(ROOT, 'dist-node', 'cli', 'main.js'),
        headpose(),
        '--out',
        out,
        '--size',
        '480x270',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    const seen = { browsers: 0, unsandboxed: 0, seccompFiltered: 0 };
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          if (statSync(`/proc/${pid}`).uid !== nobody) continue;
          const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          if (!/chrom/i.test(args[0] ?? '')) continue;
          seen.browsers++;
          if (args.includes('--no-sandbox')) seen.unsandboxed++;
          // Renderers are forked from the zygote and keep its command line: look for the filter itself.
          if (/^Seccomp:\s*2$/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) seen.seccompFiltered++;
        } catch {
          // The process ended while we looked.
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await exited, stderr).toBe(0);
    expect(seen.browsers).toBeGreaterThan(0);
    expect(seen.unsandboxed).toBe(0);
    expect(seen.seccompFiltered).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual(['two-people-headpose-480x270.dualface.mp4']);
  });
});

describe('messages', () => {
  it.skipIf(!canRunAsNobody)('name the input for a folder the user may not write to', async () => {
    const locked = mkdtempSync(join(dir, 'locked-'));
    execFileSync('chmod', ['755', locked]);
    const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, resolve(ROOT, 'dist-node', 'cli', 'main.js'), headpose(), '--out', locked], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/two-people-headpose-480x270\.mp4: the output \S+\.(partial|resume\.json|owner) could not be created: permission denied/);
  });
});
