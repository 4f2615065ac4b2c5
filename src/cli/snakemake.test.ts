/**
 * workflow/Snakefile on a small generated cohort: one job per study through the CLI, then the cohort CSV;
 * a rerun has nothing to do, and after a stop half-way only the studies without a result are redone. Needs Debian's
 * `snakemake` (.ci/run installs it); skipped without it on a workstation, never under CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCohortCsv, writeFixtureCohort } from './cohortFixture';

const REPO = path.resolve(import.meta.dirname, '../..');
const SNAKEFILE = path.join(REPO, 'workflow', 'Snakefile');
const hasSnakemake = spawnSync('snakemake', ['--version']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'cineseg-snakemake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Snakemake run from the cohort's own folder (its .snakemake/ state goes there), relative paths. */
function snakemake(...extra: string[]): { status: number | null; output: string } {
  const r = spawnSync(
    'snakemake',
    ['-s', SNAKEFILE, '--cores', '2', '--config', 'studies=studies', 'out=results', 'args=--backend wasm', ...extra],
    { cwd: dir, encoding: 'utf8', timeout: 300_000 },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

describe.skipIf(!hasSnakemake && !process.env.CI)('Snakemake workflow', () => {
  it('runs a cohort with a bad study, writes the cohort CSV, and redoes only what is missing', () => {
    writeFixtureCohort(path.join(dir, 'studies'));
    const first = snakemake();
    expect(first.output).toMatch(/rule study:/);
    expect(first.status, first.output).toBe(0);
    const csv = path.join(dir, 'results', 'cohort.csv');
    const rows = readCohortCsv(csv);
    expect(rows.map((r) => [r.study_id, r.status])).toEqual([
      ['p1', 'ok'],
      ['p2', 'ok'],
      ['sa_dicom', 'ok'],
      ['truncated', 'bad_input'],
    ]);
    expect(rows[3]?.message).toMatch(/truncated\.nii\.gz/);
    expect(rows[2]?.patient_id).toBe('CS-0042');
    expect(existsSync(path.join(dir, 'results', 'p1', 'labels.nii.gz'))).toBe(true);

    const again = snakemake();
    expect(again.status, again.output).toBe(0);
    expect(again.output).toMatch(/Nothing to be done/);

    // A workflow stopped half-way: one study without its result, no cohort CSV yet. Only that study and
    // the cohort CSV run again.
    const p1Labels = statSync(path.join(dir, 'results', 'p1', 'labels.nii.gz')).mtimeMs;
    rmSync(path.join(dir, 'results', 'p2', 'result.json'));
    rmSync(csv);
    const resumed = snakemake();
    expect(resumed.status, resumed.output).toBe(0);
    expect(resumed.output.match(/rule study:/g)).toHaveLength(1);
    expect(resumed.output).toMatch(/wildcards: id=p2/);
    expect(statSync(path.join(dir, 'results', 'p1', 'labels.nii.gz')).mtimeMs).toBe(p1Labels);
    expect(readCohortCsv(csv).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'bad_input']);
    expect(readFileSync(csv, 'utf8')).toContain('study_id,');
  });
});
