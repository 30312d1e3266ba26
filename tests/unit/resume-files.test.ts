import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABANDONED_DAYS, newJournal, ownerAlive, removeAbandonedLogs, sameJob, type Journal } from '../../src/cli/resume';
import { removeStaleScratch } from '../../src/cli/scratch';
import { scratchDir } from '../scratch';

const files = scratchDir('resume-files');

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

const identity = { input: '/v/talk.mp4', size: 10, mtimeMs: 1, settings: '{}', tracksIn: null };

function leaveLog(dir: string, base: string, pid: number, ageDays: number): void {
  const journal: Journal = { ...newJournal(identity), owner: { pid, host: hostname() } };
  const path = join(dir, `.${base}.dualface.mp4.resume.json`);
  writeFileSync(path, JSON.stringify(journal));
  writeFileSync(join(dir, `.${base}.dualface.mp4.packets`), 'frames');
  const when = (Date.now() - ageDays * 86_400_000) / 1000;
  utimesSync(path, when, when);
}

describe('files of interrupted runs', () => {
  it('a packet log nobody resumed for a week is removed; a recent one, or a live run’s, is kept', async () => {
    const dir = mkdtempSync(join(files, 'abandoned-'));
    const dead = deadPid();
    leaveLog(dir, 'old', dead, ABANDONED_DAYS + 1);
    leaveLog(dir, 'recent', dead, 1);
    leaveLog(dir, 'live', process.ppid, ABANDONED_DAYS + 1);
    const removed = await removeAbandonedLogs(dir);
    expect(removed).toEqual([join(dir, '.old.dualface.mp4.packets')]);
    expect(existsSync(join(dir, '.old.dualface.mp4.resume.json'))).toBe(false);
    expect(existsSync(join(dir, '.recent.dualface.mp4.packets'))).toBe(true);
    expect(existsSync(join(dir, '.live.dualface.mp4.packets'))).toBe(true);
  });

  it('tells a live run from a gone one, and a run on another host is taken as live', () => {
    expect(ownerAlive({ pid: process.ppid, host: hostname() })).toBe(true);
    expect(ownerAlive({ pid: deadPid(), host: hostname() })).toBe(false);
    expect(ownerAlive({ pid: deadPid(), host: `${hostname()}-elsewhere` })).toBe(true);
  });

  it('a log continues only for the same input, unchanged, with the same settings', () => {
    expect(sameJob(identity, { ...identity })).toBe(true);
    expect(sameJob(identity, { ...identity, mtimeMs: 2 })).toBe(false);
    expect(sameJob(identity, { ...identity, settings: '{"layout":"stacked"}' })).toBe(false);
    expect(sameJob(identity, { ...identity, tracksIn: 'ab' })).toBe(false);
  });

  it('the scratch folders of runs that are gone are removed', () => {
    const root = mkdtempSync(join(files, 'scratch-'));
    const gone = join(root, `dualface-run-${deadPid()}`);
    const live = join(root, `dualface-run-${process.ppid}`);
    mkdirSync(join(gone, 'playwright_chromiumdev_profile-x'), { recursive: true });
    mkdirSync(live);
    expect(removeStaleScratch(root)).toBe(1);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
