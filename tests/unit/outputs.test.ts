// Claiming a job's outputs in a real folder: a live run's files are refused, a killed run's taken over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimOutputs, planOutputs, publishOutputs, removeTemporaries } from '../../src/cli/outputs';
import { newJournal, type JobIdentity } from '../../src/cli/resume';
import { scratchDir } from '../scratch';

const root = scratchDir('outputs');

const identity: JobIdentity = { input: '/videos/talk.mp4', size: 1, mtimeMs: 1, settings: '{}', tracksIn: null };
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

function folder(): string {
  return mkdtempSync(join(root, 'case-'));
}

describe('claiming outputs', () => {
  it("takes over a killed --review run's temporary tracks file", async () => {
    const dir = folder();
    const [outputs] = planOutputs(['talk.mp4'], dir, true, false);
    writeFileSync(outputs!.tracks!.temp, '{"half":');
    writeFileSync(outputs!.owner, JSON.stringify({ pid: deadPid(), host: hostname() }));
    await claimOutputs('talk.mp4', outputs!, null);
    expect(readFileSync(outputs!.tracks!.temp, 'utf8')).toBe('');
    writeFileSync(outputs!.tracks!.temp, '{}');
    await publishOutputs('talk.mp4', outputs!, false);
    expect(readdirSync(dir)).toEqual(['talk.tracks.json']);
  });

  it('takes over temporary files that no owner holds (a run of an older version)', async () => {
    const dir = folder();
    const [outputs] = planOutputs(['talk.mp4'], dir, true, false);
    writeFileSync(outputs!.tracks!.temp, 'left behind');
    await claimOutputs('talk.mp4', outputs!, null);
    await removeTemporaries(outputs!);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a live run's outputs, naming it, and leaves them as they are", async () => {
    const dir = folder();
    const [outputs] = planOutputs(['talk.mp4'], dir, true, true);
    writeFileSync(outputs!.video!.temp, 'being written');
    // Another process, alive, stands for the other run.
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(outputs!.owner, JSON.stringify({ pid: other.pid, host: hostname() }));
      await expect(claimOutputs('talk.mp4', outputs!, identity)).rejects.toThrow(
        `talk.mp4: another dualface run (process ${other.pid} on ${hostname()}) is writing ${outputs!.video!.final}`,
      );
    } finally {
      other.kill();
    }
    expect(readFileSync(outputs!.video!.temp, 'utf8')).toBe('being written');
    expect(existsSync(outputs!.resume!.journal)).toBe(false);
  });

  it('a damaged journal starts over, saying so; --restart starts over whatever is there', async () => {
    const dir = folder();
    const [outputs] = planOutputs(['talk.mp4'], dir, false, true);
    writeFileSync(outputs!.resume!.journal, JSON.stringify(newJournal(identity)).slice(0, 40));
    writeFileSync(outputs!.resume!.log, 'frames');
    writeFileSync(outputs!.video!.temp, 'half an MP4');
    const claim = await claimOutputs('talk.mp4', outputs!, identity);
    expect(claim.note).toBe(`talk.mp4: an interrupted run's journal ${outputs!.resume!.journal} is damaged: starting over`);
    expect(claim.checkpoint).toBeNull();
    expect(readFileSync(outputs!.resume!.log, 'utf8')).toBe('');
    await removeTemporaries(outputs!);

    writeFileSync(outputs!.owner, JSON.stringify({ pid: deadPid(), host: hostname() }));
    writeFileSync(outputs!.video!.temp, 'half an MP4');
    const restarted = await claimOutputs('talk.mp4', outputs!, identity, true);
    expect(restarted.checkpoint).toBeNull();
    expect(readFileSync(outputs!.video!.temp, 'utf8')).toBe('');
    await removeTemporaries(outputs!);
  });
});
