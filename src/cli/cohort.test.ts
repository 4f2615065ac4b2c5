import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhantom } from '@/core/phantom';
import { parseCsv } from '@/io/csv';
import { writeNifti } from '@/io/niftiWrite';
import { cohortCsv, COHORT_CSV_HEADER } from './cohortCsv';
import { FIXTURE_IDS, FIXTURE_PATIENT, readCohortCsv, writeFixtureCohort } from './cohortFixture';
import { listCohortStudies, studyId } from './cohortStudies';
import { formatDuration, secondsLeft } from './progress';
import { isStudyDone, studyPaths, type StudyResult } from './studyResult';
import { modelAvailable, runCli } from './testing/cliHarness';

const REPO = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'cineseg-cohort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cohort studies and CSV', () => {
  it('takes every entry of a folder as a study, skipping hidden and label files and the output folder', () => {
    const folder = path.join(dir, 'listing');
    mkdirSync(path.join(folder, 'patient 7'), { recursive: true });
    mkdirSync(path.join(folder, 'out'));
    for (const f of ['b.nii.gz', 'a.nii', 'a_gt.nii.gz', '.DS_Store', 'notes.txt'])
      writeFileSync(path.join(folder, f), '');
    const studies = listCohortStudies(folder, path.join(folder, 'out'));
    expect(studies.map((s) => [s.id, s.input])).toEqual([
      ['a', 'a.nii'],
      ['b', 'b.nii.gz'],
      ['notes.txt', 'notes.txt'],
      ['patient_7', 'patient 7'],
    ]);
    expect(studies[0]?.path).toBe(path.join(folder, 'a.nii'));
    expect(studyId('x/../y')).toBe('x_.._y');
  });

  it('reads a list file relative to itself, with comments; refuses ids that collide', () => {
    const folder = path.join(dir, 'list-file');
    mkdirSync(folder, { recursive: true });
    const list = path.join(folder, 'cohort.txt');
    writeFileSync(list, '# two studies\nb.nii.gz\n\n  patient 7  \n');
    const studies = listCohortStudies(list);
    expect(studies.map((s) => s.id)).toEqual(['b', 'patient_7']);
    expect(studies[1]?.path).toBe(path.join(folder, 'patient 7'));
    writeFileSync(list, 'a.nii\nother/a.nii.gz\n');
    expect(() => listCohortStudies(list)).toThrow(/a\.nii and other\/a\.nii\.gz would both be called "a"/);
    writeFileSync(path.join(folder, 'b.nii.gz'), '');
    expect(() => listCohortStudies(path.join(folder, 'b.nii.gz'))).toThrow(/leave out --cohort/);
  });

  it('writes one row per study with the recorded values, guarded text and not_run for missing results', () => {
    const studies = [
      { id: 's1', path: '/x/s1', input: 's1' },
      { id: 's2', path: '/x/s2', input: 's2' },
    ];
    const r: StudyResult = {
      format: 'cineseg-study-result/1',
      id: 's1',
      input: 's1',
      status: 'ok',
      message: '',
      model: { id: 'student', version: '1.1.0', tta: false, backend: 'wasm' },
      identity: { source: 'dicom', patientId: '=HYPERLINK("x")', patientName: 'Doe^Jane', studyDate: '2024-01-31' },
      dims: { cols: 8, rows: 8, slices: 3, frames: 2 },
      function: { edFrame: 0, esFrame: 1, lvedvMl: 120.04, lvesvMl: 50, lvefPct: 58.35, lvMassG: 99.95 },
      flags: [
        { code: 'missing-on-slice', frame: 1, slice: 2, message: 'Frame 2, slice 3: LV cavity missing' },
        { code: 'implausible-function', frame: 0, slice: null, message: 'LVEF 95.0 % is outside 3-90 %' },
      ],
      outputs: [],
      seconds: 1,
    };
    const rows = parseCsv(cohortCsv(studies, new Map([['s1', r]])));
    expect(rows[0]).toEqual([...COHORT_CSV_HEADER]);
    const row = Object.fromEntries(COHORT_CSV_HEADER.map((h, i) => [h, rows[1]?.[i]]));
    expect(row).toMatchObject({
      study_id: 's1',
      patient_id: `'=HYPERLINK("x")`,
      patient_name: 'Doe^Jane',
      study_date: '2024-01-31',
      slices: '3',
      ed_frame: '1',
      es_frame: '2',
      lvedv_ml: '120.0',
      lvef_pct: '58.4',
      lv_mass_g: '100.0',
      rvedv_ml: '',
      flags: 'missing-on-slice@2/3; implausible-function@1/-',
      model_id: 'student',
      model_version: '1.1.0',
      status: 'ok',
    });
    expect(rows[2]?.[COHORT_CSV_HEADER.indexOf('status')]).toBe('not_run');
  });

  it('estimates the time left from the pace so far', () => {
    expect(secondsLeft(0, 10, 5)).toBeUndefined();
    expect(secondsLeft(2, 10, 10)).toBe(40);
    expect(formatDuration(40)).toBe('40 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 05 min');
  });

  it('refuses single-study options with --cohort, cohort options without it, and a bad --jobs', async () => {
    expect((await runCli('--cohort', dir, '--out', 'x.nii.gz')).stderr).toMatch(
      /--out cannot be combined with --cohort/,
    );
    expect((await runCli('a.nii.gz', '--jobs', '2')).stderr).toMatch(/--jobs needs --cohort/);
    const r = await runCli('--cohort', dir, '--out-dir', dir, '--jobs', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs must be a whole number of at least 1/);
    expect((await runCli('--cohort', path.join(dir, 'nope'), '--out-dir', dir)).stderr).toMatch(/nope does not exist/);
    expect((await runCli('--cohort', dir)).stderr).toMatch(/--cohort needs --out-dir/);
  });
});

describe.skipIf(!modelAvailable())('cohort through the CLI with the published default model', () => {
  const studies = path.join(dir, 'studies');
  let inputs: ReturnType<typeof writeFixtureCohort>;
  beforeAll(() => {
    inputs = writeFixtureCohort(studies);
  });

  it('--jobs 2: per-study outputs as a single run writes them, one cohort CSV row per study, the failure recorded', async () => {
    const out = path.join(dir, 'out-jobs');
    const r = await runCli('--cohort', studies, '--out-dir', out, '--jobs', '2', '--backend', 'wasm');
    expect(r.stderr).toMatch(/4 studies, 0 already done \(skipped\), 4 to segment with 2 jobs/);
    expect(r.stderr).toMatch(/\[1\/4\] .* \(about .* left\)/);
    expect(r.stderr).toMatch(/\[4\/4\] /);
    expect(r.code).toBe(2); // one bad study; the CSV is still written
    expect(r.stdout).toMatch(/4 studies: 3 ok, 1 bad input/);

    const rows = readCohortCsv(path.join(out, 'cohort.csv'));
    expect(rows.map((x) => [x.study_id, x.status])).toEqual([
      ['p1', 'ok'],
      ['p2', 'ok'],
      ['sa_dicom', 'ok'],
      ['truncated', 'bad_input'],
    ]);
    const bad = rows[3]!;
    expect(bad.message).toMatch(/truncated\.nii\.gz/);
    expect(bad.lvedv_ml).toBe('');
    const dicom = rows[2]!;
    expect(dicom).toMatchObject({
      source: 'dicom',
      patient_id: FIXTURE_PATIENT.id,
      patient_name: FIXTURE_PATIENT.shownName,
      study_date: '2024-01-31',
      series_instance_uid: '1.2.826.0.1.77',
      series_number: '4',
      series_description: 'SA cine',
      slices: '2',
      frames: '2',
    });
    expect(rows[0]).toMatchObject({ source: 'nifti', file_name: 'p1.nii.gz', model_id: 'student' });
    expect(Number(rows[0]!.lvedv_ml)).toBeGreaterThan(0);
    expect(existsSync(path.join(out, 'sa_dicom', 'labels.index.json'))).toBe(true);
    expect(existsSync(studyPaths(out, 'truncated').labels)).toBe(false);

    // The same engine as one study: the single-study command writes the same CSV and labels.
    const single = path.join(dir, 'single');
    const one = await runCli(
      inputs.p1,
      ...['--out', path.join(single, 'p1.nii.gz'), '--csv', path.join(single, 'p1.csv'), '--backend', 'wasm'],
    );
    expect(one.code).toBe(0);
    expect(readFileSync(path.join(out, 'p1', 'function.csv'), 'utf8')).toBe(
      readFileSync(path.join(single, 'p1.csv'), 'utf8'),
    );
    expect(readFileSync(path.join(out, 'p1', 'labels.nii.gz'))).toEqual(readFileSync(path.join(single, 'p1.nii.gz')));
    const summary = new Map(parseCsv(readFileSync(path.join(single, 'p1.csv'), 'utf8')).map((x) => [x[0], x[1]]));
    expect(rows[0]!.lvedv_ml).toBe(summary.get('LVEDV'));
    expect(rows[0]!.lvef_pct).toBe(summary.get('LVEF'));
    expect(rows[0]!.lv_mass_g).toBe(summary.get('LV mass'));
  });

  it('an interrupted run resumes: done studies are skipped, the rest segmented, the bad one tried again', async () => {
    const out = path.join(dir, 'out-resume');
    // Stop the run (as a kill would) once its first study is done.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/segment.ts', '--cohort', studies, '--out-dir', out, '--backend', 'wasm'],
      { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/\[1\/4\] p1: ok/.test(stderr)) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`the run ended before it was stopped: ${stderr}`)),
      );
    });
    expect(existsSync(path.join(out, 'cohort.csv'))).toBe(false);
    const { model } = JSON.parse(readFileSync(path.join(out, 'p1', 'result.json'), 'utf8')) as StudyResult;
    const key = { id: model.id, version: model.version, tta: model.tta };
    const doneBefore = FIXTURE_IDS.filter((id) => isStudyDone(out, id, key));
    expect(doneBefore).toContain('p1');
    const p1Time = statSync(path.join(out, 'p1', 'labels.nii.gz')).mtimeMs;

    const second = await runCli('--cohort', studies, '--out-dir', out, '--backend', 'wasm');
    const left = 4 - doneBefore.length;
    expect(second.stderr).toContain(`${doneBefore.length} already done (skipped), ${left} to segment`);
    expect(second.stderr).not.toMatch(/\] p1:/);
    expect(second.code).toBe(2);
    expect(statSync(path.join(out, 'p1', 'labels.nii.gz')).mtimeMs).toBe(p1Time);
    const rows = readCohortCsv(path.join(out, 'cohort.csv'));
    expect(rows.map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'bad_input']);

    // Everything good is done now; only the bad study is tried again (its input may have been fixed).
    const third = await runCli('--cohort', studies, '--out-dir', out, '--backend', 'wasm');
    expect(third.stderr).toContain('3 already done (skipped), 1 to segment');
    expect(third.stderr).toMatch(/\[1\/1\] truncated: bad input: .*truncated\.nii\.gz/);

    // Fixed: now every study is ok and the exit status 0.
    const cut = readFileSync(inputs.truncated);
    writeFileSync(inputs.truncated, readFileSync(inputs.p1));
    try {
      const fourth = await runCli('--cohort', studies, '--out-dir', out, '--backend', 'wasm');
      expect(fourth.code).toBe(0);
      expect(readCohortCsv(path.join(out, 'cohort.csv')).map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    } finally {
      writeFileSync(inputs.truncated, cut);
    }
  });

  it('a list file of studies elsewhere; quality flags in the cohort CSV (an empty image: no heart)', async () => {
    const listed = path.join(dir, 'listed');
    mkdirSync(listed, { recursive: true });
    const blank = makePhantom({ cols: 48, rows: 48, pixelMm: 3, slices: 2, frames: 2 }).volume;
    blank.data.fill(0);
    writeFileSync(path.join(listed, 'blank.nii.gz'), writeNifti(blank));
    const list = path.join(listed, 'cohort.txt');
    writeFileSync(
      list,
      `# a study of the other cohort and one here\n${path.relative(listed, inputs.p1)}\nblank.nii.gz\n`,
    );
    const out = path.join(dir, 'out-list');
    const r = await runCli('--cohort', list, '--out-dir', out, '--backend', 'wasm');
    expect(r.code).toBe(0);
    const rows = readCohortCsv(path.join(out, 'cohort.csv'));
    expect(rows.map((x) => [x.study_id, x.input, x.status])).toEqual([
      ['p1', '../studies/p1.nii.gz', 'ok'],
      ['blank', 'blank.nii.gz', 'ok'],
    ]);
    expect(rows[0]!.flags).toBe('');
    expect(rows[1]!.flags).toBe('no-heart@1/-; no-heart@2/-; implausible-function@1/-'); // LVEDV 0 ml too
    expect(rows[1]!.lvedv_ml).toBe('0.0');
    const result = JSON.parse(readFileSync(path.join(out, 'blank', 'result.json'), 'utf8')) as StudyResult;
    expect(result.flags?.[0]?.message).toMatch(/no left ventricle found/);
  });

  it('--only segments one study without a cohort CSV; --cohort-csv-only writes it from the results', async () => {
    const out = path.join(dir, 'out-parts');
    const only = await runCli('--cohort', studies, '--out-dir', out, '--only', 'p2', '--backend', 'wasm');
    expect(only.code).toBe(0);
    expect(existsSync(path.join(out, 'p2', 'result.json'))).toBe(true);
    expect(existsSync(path.join(out, 'cohort.csv'))).toBe(false);
    const csv = path.join(out, 'partial.csv');
    const agg = await runCli('--cohort', studies, '--out-dir', out, '--cohort-csv-only', '--cohort-csv', csv);
    expect(agg.code).toBe(2);
    expect(readCohortCsv(csv).map((x) => x.status)).toEqual(['not_run', 'ok', 'not_run', 'not_run']);
    const list = await runCli('--cohort', studies, '--list-studies');
    expect(list.stdout.trim().split('\n')[2]).toBe(`sa_dicom\t${inputs.sa_dicom}`);
    expect((await runCli('--cohort', studies, '--out-dir', out, '--only', 'p9')).stderr).toMatch(
      /--only p9: no such study/,
    );
  });
});
