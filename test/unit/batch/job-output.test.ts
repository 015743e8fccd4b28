// A job's output folder on a real disk: staged next to the target, renamed into place whole;
// an earlier output of ours is replaced, a folder holding anything else is refused untouched;
// a killed run's staging folder is removed by the job's next run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitJobOutput, discardJobOutput, openJobOutput, OUTPUT_MARKER } from '../../../src-main/core/batch/job-output';
import { tempDir } from '../../helpers/make-video';

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir('maskline-job-output-')));
afterEach(() => t.cleanup());

async function produce(out: string, id: string, content: string): Promise<void> {
  const l = await openJobOutput(out, id);
  mkdirSync(l.project, { recursive: true });
  writeFileSync(join(l.project, 'project.sqlite'), content);
  await commitJobOutput(l, out, { jobId: id });
}

describe('job output', () => {
  it('appears whole under its name, with the marker, and nothing else next to it', async () => {
    const out = join(t.dir, 'shared', 'a');
    await produce(out, 'ml-1', 'one');
    expect(readdirSync(join(t.dir, 'shared'))).toEqual(['a']);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'project']);
    expect(JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8'))).toEqual({ jobId: 'ml-1' });
  });

  it('replaces an earlier output of ours, and an empty folder', async () => {
    const out = join(t.dir, 'a');
    mkdirSync(out);
    await produce(out, 'ml-1', 'one');
    await produce(out, 'ml-1', 'two');
    expect(readFileSync(join(out, 'project', 'project.sqlite'), 'utf8')).toBe('two');
    expect(readdirSync(t.dir)).toEqual(['a']);
  });

  it('refuses a folder holding files it did not write, before any work, and leaves them', async () => {
    const out = join(t.dir, 'a');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expect(openJobOutput(out, 'ml-1')).rejects.toMatchObject({ code: 'OUT_NOT_OURS', message: expect.stringContaining('notes.txt') });
    expect(readdirSync(t.dir)).toEqual(['a']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses at commit when a foreign file appeared meanwhile; discard removes only the staging', async () => {
    const out = join(t.dir, 'a');
    const l = await openJobOutput(out, 'ml-1');
    mkdirSync(out);
    writeFileSync(join(out, 'late.txt'), 'x');
    await expect(commitJobOutput(l, out, {})).rejects.toMatchObject({ code: 'OUT_NOT_OURS' });
    await discardJobOutput(l);
    expect(readdirSync(t.dir)).toEqual(['a']);
    expect(readdirSync(out)).toEqual(['late.txt']);
  });

  it('discard removes the folders it created for the staging folder, and only those', async () => {
    const l = await openJobOutput(join(t.dir, 'new', 'deeper', 'a'), 'ml-1');
    await discardJobOutput(l);
    expect(readdirSync(t.dir)).toEqual([]);
  });

  it("the next run of a job removes the staging folder a killed run left; other jobs' stay", async () => {
    const out = join(t.dir, 'a');
    const killed = await openJobOutput(out, 'ml-1');
    const other = await openJobOutput(join(t.dir, 'b'), 'ml-2');
    await produce(out, 'ml-1', 'again');
    expect(existsSync(killed.staging)).toBe(false);
    expect(existsSync(other.staging)).toBe(true);
  });
});
