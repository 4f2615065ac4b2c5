/**
 * Property-based fuzzing of the readers (fast-check): valid NIfTI (.nii, .nii.gz) and DICOM files written by the
 * project's own writers are damaged (truncated anywhere, bytes flipped, header fields set to absurd values, element
 * lengths changed, transfer syntax lying about the body, a .gz that inflates far past its header) and dropped through
 * `loadFiles`. Every case must end in a well-formed Volume, a series choice, or a LoadError whose message names a
 * dropped file (the damaged one for a single file): never another exception, a hang, or an allocation past a bound.
 *
 * The cases run in a child process (testing/fuzzHarness.ts) that measures allocations; a case that does not answer
 * within HANG_MS is a hang. The seed is fixed so that CI runs the same cases every time; FUZZ_SEED and FUZZ_RUNS
 * explore others (`FUZZ_SEED=123 FUZZ_RUNS=3000 npx vitest run src/io/readers.fuzz.test.ts`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc, { toStringMethod } from 'fast-check';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '@/core/volume';
import { INPUT_LIMITS } from './limits';
import { writeNifti } from './niftiWrite';
import { EXPLICIT_VR_BIG_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN, writeDicom } from './testing/writeDicom';
import {
  DEFLATED_EXPLICIT_LITTLE,
  scanExplicitLittle,
  withTransferSyntax,
  type DicomElement,
} from './testing/dicomBytes';
import type { FuzzAnswer, FuzzDrop } from './testing/fuzzHarness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20240616);
/** A case that takes longer than this is a hang: far above any case's real time even on a loaded machine. */
const HANG_MS = 20_000;
/** No single buffer beyond this: the inputs are at most a few hundred KB; a .gz bomb may inflate 1 MiB of slack. */
const MAX_ALLOCATION_BYTES = 24 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Valid inputs, made with the writers

function cineVolume(): Volume {
  const dims = { cols: 12, rows: 10, slices: 3, frames: 4 };
  const n = dims.cols * dims.rows * dims.slices * dims.frames;
  const spacingMm = { col: 1.5, row: 1.25, slice: 8 };
  return {
    data: new Float32Array(n).map((_, i) => (i * 37) % 900),
    dims,
    spacingMm,
    affine: [1.5, 0, 0, -9, 0, 1.25, 0, 4, 0, 0, 8, 20, 0, 0, 0, 1],
    frameTimesMs: [0, 40, 80, 120],
    meta: { source: 'phantom', name: 'fuzz' },
  };
}

const NII = writeNifti(cineVolume(), { datatype: 'int16', gzip: false });
const NII_GZ = gzipSync(NII);

/** 2 slices × 2 frames, 8×6 pixels, one file per image. */
function dicomSeries(transferSyntaxUid?: string): Uint8Array[] {
  return [0, 1, 2, 3].map((k) =>
    writeDicom({
      rows: 6,
      cols: 8,
      pixels: Array.from({ length: 48 }, (_, i) => (i * 13 + k * 100) % 1000),
      imagePositionPatient: [0, 0, 8 * (k % 2)],
      pixelSpacing: [1.25, 1.25],
      sliceThickness: 8,
      triggerTime: 40 * Math.floor(k / 2),
      instanceNumber: k + 1,
      ...(transferSyntaxUid ? { transferSyntaxUid } : {}),
    }),
  );
}

const DEFLATED = DEFLATED_EXPLICIT_LITTLE;
const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';
const DICOM_BASES: Record<string, Uint8Array[]> = {
  explicit: dicomSeries(),
  implicit: dicomSeries(IMPLICIT_VR_LITTLE_ENDIAN),
  bigEndian: dicomSeries(EXPLICIT_VR_BIG_ENDIAN),
  deflated: dicomSeries().map((b) => withTransferSyntax(b, DEFLATED, true)),
};

// ---------------------------------------------------------------------------------------------------------------
// Damage

type Mutation = { what: string; apply: (b: Uint8Array) => Uint8Array };

/** Cut positions across the whole file, and the boundaries of its regions (header, meta, elements, pixels). */
function truncation(length: number, boundaries: number[]): fc.Arbitrary<Mutation> {
  const near = fc
    .tuple(fc.constantFrom(...boundaries), fc.integer({ min: -3, max: 3 }))
    .map(([b, d]) => Math.max(0, Math.min(length - 1, b + d)));
  return fc.oneof(fc.integer({ min: 0, max: length - 1 }), near).map((at) => ({
    what: `truncated to ${at} of ${length} bytes`,
    apply: (b) => b.slice(0, at),
  }));
}

function flips(length: number): fc.Arbitrary<Mutation> {
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 1, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((list) => ({
      what: `bytes flipped at ${list.map(([at, x]) => `${at}^${x}`).join(', ')}`,
      apply: (b) => {
        const c = b.slice();
        for (const [at, x] of list) c[at] = (c[at] ?? 0) ^ x;
        return c;
      },
    }));
}

const ABSURD_NUMBERS = [0, -1, 1, 2, 7, 8, 255, 32767, -32768, 65535, 2 ** 31 - 1, -(2 ** 31), 1e6, 1e-6, 1e38];
const ABSURD_FLOATS = [...ABSURD_NUMBERS, Number.NaN, Infinity, -Infinity, -0];

/** NIfTI-1 header fields: offset, type. */
const NIFTI_FIELDS: [string, number, 'i16' | 'i32' | 'f32' | 'u8'][] = [
  ['sizeof_hdr', 0, 'i32'],
  ...Array.from({ length: 8 }, (_, i) => [`dim[${i}]`, 40 + 2 * i, 'i16'] as [string, number, 'i16']),
  ['datatype', 70, 'i16'],
  ['bitpix', 72, 'i16'],
  ...Array.from({ length: 8 }, (_, i) => [`pixdim[${i}]`, 76 + 4 * i, 'f32'] as [string, number, 'f32']),
  ['vox_offset', 108, 'f32'],
  ['scl_slope', 112, 'f32'],
  ['scl_inter', 116, 'f32'],
  ['xyzt_units', 123, 'u8'],
  ['toffset', 132, 'f32'],
  ['qform_code', 252, 'i16'],
  ['sform_code', 254, 'i16'],
  ['quatern_b', 256, 'f32'],
  ['qfac', 76, 'f32'],
  ...Array.from({ length: 12 }, (_, i) => [`srow[${i}]`, 280 + 4 * i, 'f32'] as [string, number, 'f32']),
  ['extension[0]', 348, 'u8'],
];

function niftiField(): fc.Arbitrary<Mutation> {
  return fc
    .tuple(fc.constantFrom(...NIFTI_FIELDS), fc.constantFrom(...ABSURD_FLOATS), fc.boolean())
    .map(([[name, at, type], value, bigEndian]) => ({
      what: `${name} = ${value}${bigEndian ? ' (big-endian)' : ''}`,
      apply: (b) => {
        const c = b.slice();
        const v = new DataView(c.buffer);
        const int = Number.isFinite(value) ? Math.trunc(value) : 0;
        if (type === 'i16') v.setInt16(at, int, !bigEndian);
        else if (type === 'i32') v.setInt32(at, int, !bigEndian);
        else if (type === 'u8') v.setUint8(at, int & 0xff);
        else v.setFloat32(at, value, !bigEndian);
        return c;
      },
    }));
}

/** A .nii.gz whose header describes a tiny image but that inflates to `extraBytes` more. */
function gzipBomb(): fc.Arbitrary<Mutation> {
  return fc.integer({ min: 2, max: 4 }).map((mib) => ({
    what: `${mib} MiB of zeros after the voxels`,
    apply: (b) => {
      const c = new Uint8Array(b.length + mib * 1024 * 1024);
      c.set(b);
      return c;
    },
  }));
}

const DICOM_STRINGS = ['0\\0', '-1.5\\-1.5', 'NaN\\NaN', '1e6\\1e6', 'abc', '', '\\\\\\', '1e308\\1e308', '0.5'];
const DICOM_TAGS = {
  rows: 0x00280010,
  cols: 0x00280011,
  bitsAllocated: 0x00280100,
  bitsStored: 0x00280101,
  pixelRepresentation: 0x00280103,
  samplesPerPixel: 0x00280002,
  pixelSpacing: 0x00280030,
  sliceThickness: 0x00180050,
  position: 0x00200032,
  orientation: 0x00200037,
  triggerTime: 0x00181060,
  instanceNumber: 0x00200013,
  seriesUid: 0x0020000e,
  transferSyntax: 0x00020010,
  groupLength: 0x00020000,
  pixelData: 0x7fe00010,
};

/** Absurd values in Explicit VR Little Endian elements: US numbers, DS/IS strings (same length), element lengths. */
function dicomField(base: Uint8Array): fc.Arbitrary<Mutation> {
  const elements = scanExplicitLittle(base);
  const byTag = (tag: number): DicomElement | undefined => elements.find((e) => e.tag === tag);
  const named = Object.entries(DICOM_TAGS).filter(([, tag]) => byTag(tag));
  const value = fc.tuple(
    fc.constantFrom(...named),
    fc.constantFrom(...ABSURD_NUMBERS),
    fc.constantFrom(...DICOM_STRINGS),
  );
  const setValue = value.map(([[name, tag], n, s]) => {
    const el = byTag(tag) as DicomElement;
    return {
      what: el.vr === 'US' ? `${name} = ${n & 0xffff}` : `${name} = "${s}"`,
      apply: (b: Uint8Array) => {
        const c = b.slice();
        if (el.vr === 'US') new DataView(c.buffer).setUint16(el.valueAt, n & 0xffff, true);
        else for (let i = 0; i < el.length; i++) c[el.valueAt + i] = i < s.length ? s.charCodeAt(i) : 0x20;
        return c;
      },
    };
  });
  const setLength = fc
    .tuple(fc.constantFrom(...elements), fc.constantFrom(...ABSURD_NUMBERS, 0xffffffff, 0xfffe))
    .map(([el, n]) => ({
      what: `length of (${(el.tag >>> 16).toString(16)},${(el.tag & 0xffff).toString(16)}) = ${n >>> 0}`,
      apply: (b: Uint8Array) => {
        const c = b.slice();
        const v = new DataView(c.buffer);
        if (el.lengthBytes === 4) v.setUint32(el.lengthAt, n >>> 0, true);
        else v.setUint16(el.lengthAt, n & 0xffff, true);
        return c;
      },
    }));
  return fc.oneof(setValue, setLength);
}

/** The meta group names another transfer syntax than the body is written in. */
function lyingSyntax(): fc.Arbitrary<Mutation> {
  return fc
    .tuple(
      fc.constantFrom(
        IMPLICIT_VR_LITTLE_ENDIAN,
        EXPLICIT_LITTLE,
        EXPLICIT_VR_BIG_ENDIAN,
        DEFLATED,
        '1.2.840.10008.1.2.4.50',
        '1.2.840.10008.1.2.5',
        '1.2.3',
        '',
      ),
      fc.boolean(),
    )
    .map(([uid, deflate]) => ({
      what: `transfer syntax "${uid}"${deflate ? ', body deflated' : ''}`,
      apply: (b: Uint8Array) => withTransferSyntax(b, uid, deflate),
    }));
}

function niftiBoundaries(b: Uint8Array): number[] {
  return [0, 4, 40, 56, 70, 76, 108, 112, 252, 280, 344, 348, 352, b.length - 1];
}

function dicomBoundaries(b: Uint8Array): number[] {
  return [0, 128, 132, ...scanExplicitLittle(b).flatMap((e) => [e.lengthAt - 4, e.valueAt]), b.length - 1];
}

// ---------------------------------------------------------------------------------------------------------------
// Cases: a drop of files, one of them damaged

interface Case {
  what: string;
  files: { name: string; bytes: Uint8Array }[];
  /** The damaged file. */
  damaged: string;
}

/** fast-check reports a failing case by its description, not its bytes. */
function described(c: Case): Case {
  return Object.assign(c, { [toStringMethod]: () => c.what });
}

const niftiCase: fc.Arbitrary<Case> = fc
  .oneof(
    {
      weight: 5,
      arbitrary: fc.oneof(truncation(NII.length, niftiBoundaries(NII)), flips(NII.length), niftiField()).map((m) => ({
        name: 'cine.nii',
        m,
        bytes: () => m.apply(NII),
      })),
    },
    // Damage inside the compressed stream, or a damaged header compressed as if it were good, or a bomb.
    {
      weight: 5,
      arbitrary: fc
        .oneof(truncation(NII_GZ.length, [0, 10, 20, NII_GZ.length - 8]), flips(NII_GZ.length))
        .map((m) => ({ name: 'cine.nii.gz', m, bytes: () => m.apply(NII_GZ) })),
    },
    {
      weight: 5,
      arbitrary: fc
        .oneof(niftiField(), flips(NII.length))
        .map((m) => ({ name: 'cine.nii.gz', m, bytes: () => gzipSync(m.apply(NII)) })),
    },
    // Rarer: each costs a few MB of inflating before it is stopped.
    {
      weight: 1,
      arbitrary: gzipBomb().map((m) => ({ name: 'cine.nii.gz', m, bytes: () => gzipSync(m.apply(NII)) })),
    },
  )
  .map(({ name, m, bytes }) =>
    described({ what: `${name}: ${m.what}`, files: [{ name, bytes: bytes() }], damaged: name }),
  );

const dicomCase: fc.Arbitrary<Case> = fc
  .tuple(fc.constantFrom(...Object.keys(DICOM_BASES)), fc.integer({ min: 0, max: 3 }), fc.nat())
  .chain(([syntax, index]) => {
    const base = (DICOM_BASES[syntax] as Uint8Array[])[index] as Uint8Array;
    const explicit = syntax === 'explicit';
    const mutation = explicit
      ? fc.oneof(truncation(base.length, dicomBoundaries(base)), flips(base.length), dicomField(base), lyingSyntax())
      : fc.oneof(truncation(base.length, [0, 128, 132, base.length - 1]), flips(base.length));
    return mutation.map((m) => ({ syntax, index, m, base }));
  })
  .map(({ syntax, index, m, base }) => {
    const names = [1, 2, 3, 4].map((k) => `IM${k}.dcm`);
    const damaged = names[index] as string;
    const files = (DICOM_BASES[syntax] as Uint8Array[]).map((b, k) => ({
      name: names[k] as string,
      bytes: k === index ? m.apply(base) : b,
    }));
    return described({ what: `${syntax} ${damaged}: ${m.what}`, files, damaged });
  });

// ---------------------------------------------------------------------------------------------------------------
// The child process

let child: ChildProcess | undefined;
let nextId = 1;

async function startChild(): Promise<ChildProcess> {
  const entry = fileURLToPath(new URL('./testing/fuzzHarness.ts', import.meta.url));
  const c = fork(entry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fuzz harness did not start')), 60_000);
    c.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    c.once('exit', (code) => reject(new Error(`the fuzz harness exited (${code})`)));
  });
  return c;
}

async function run(c: Case): Promise<FuzzAnswer> {
  child ??= await startChild();
  const proc = child;
  const drop: FuzzDrop = { id: nextId++, files: c.files };
  return new Promise<FuzzAnswer>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      child = undefined;
      reject(new Error(`hang: no answer within ${HANG_MS} ms for ${c.what}`));
    }, HANG_MS);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      child = undefined;
      reject(new Error(`the reader crashed the process (${code ?? signal}) for ${c.what}`));
    };
    proc.once('exit', onExit);
    proc.once('message', (a: FuzzAnswer) => {
      clearTimeout(timer);
      proc.off('exit', onExit);
      resolve(a);
    });
    proc.send(drop);
  });
}

/** What must hold for every case. Returns a tally key. */
function check(c: Case, a: FuzzAnswer): string {
  const context = `${c.what} -> ${a.kind}: ${a.message ?? ''}`;
  expect(a.kind, context).not.toBe('other-error');
  expect(a.maxAllocationBytes, `allocation for ${context}`).toBeLessThanOrEqual(MAX_ALLOCATION_BYTES);
  if (a.kind === 'load-error') {
    const message = a.message ?? '';
    // A single file's problem names it; in a DICOM series the message may name the image it conflicts with.
    const names = c.files.length === 1 ? [c.damaged] : c.files.map((f) => f.name);
    expect(
      names.some((n) => message.includes(n)),
      `the message names ${names.length === 1 ? names[0] : 'a dropped file'}: ${context}`,
    ).toBe(true);
    return message.includes(c.damaged) ? 'error naming the damaged file' : 'error naming another file of the series';
  }
  if (a.kind === 'series') {
    const v = a.volume;
    if (!v) throw new Error(`no volume: ${context}`);
    const { cols, rows, slices, frames } = v.dims;
    for (const d of [cols, rows, slices, frames]) expect(Number.isInteger(d) && d >= 1, context).toBe(true);
    expect(v.dataLength, context).toBe(cols * rows * slices * frames);
    expect(v.dataLength, context).toBeLessThanOrEqual(INPUT_LIMITS.maxVoxels);
    for (const s of [v.spacingMm.col, v.spacingMm.row, v.spacingMm.slice]) {
      expect(s >= INPUT_LIMITS.minSpacingMm && s <= INPUT_LIMITS.maxSliceSpacingMm, `spacing ${s}: ${context}`).toBe(
        true,
      );
    }
    expect(v.affineLength, context).toBe(16);
    expect(v.frameTimes, context).toBe(frames);
  }
  return a.kind;
}

describe('readers under damaged input (fast-check)', () => {
  beforeAll(async () => {
    child = await startChild();
  });
  afterAll(() => {
    child?.kill();
  });

  it('the undamaged inputs load', async () => {
    const nifti = await run({ what: 'valid .nii', files: [{ name: 'cine.nii', bytes: NII }], damaged: 'cine.nii' });
    expect(nifti.volume?.dims).toEqual(cineVolume().dims);
    const gz = await run({ what: 'valid .nii.gz', files: [{ name: 'c.nii.gz', bytes: gzipSync(NII) }], damaged: '' });
    expect(gz.volume?.dims).toEqual(cineVolume().dims);
    for (const [syntax, files] of Object.entries(DICOM_BASES)) {
      const a = await run({
        what: `valid ${syntax} DICOM`,
        files: files.map((bytes, k) => ({ name: `${k}.dcm`, bytes })),
        damaged: '',
      });
      expect(a.kind, `${syntax}: ${a.message ?? ''}`).toBe('series');
      expect(a.volume?.dims).toEqual({ cols: 8, rows: 6, slices: 2, frames: 2 });
    }
  });

  it(`${RUNS} damaged NIfTI and DICOM drops: a Volume or a LoadError naming the file, nothing else`, async () => {
    const tally = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(niftiCase, dicomCase), async (c) => {
        const key = check(c, await run(c));
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.info(`fuzz (seed ${SEED}, ${RUNS} cases):`, Object.fromEntries(tally));
    // The damage is real: most cases must be refused, and each kind of outcome must occur.
    expect(tally.get('error naming the damaged file') ?? 0).toBeGreaterThan(RUNS / 3);
  });
});
