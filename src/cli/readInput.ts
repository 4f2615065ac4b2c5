/**
 * The batch CLI's inputs as io's `InputFile`s: NIfTI files as given, folders (a DICOM series, or ACDC
 * frame files) read recursively; hidden files (.DS_Store) skipped. Problems are `LoadError`s.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LoadError, type InputFile } from '@/io/index';

function walk(dir: string, root: string, out: InputFile[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, root, out);
    else if (entry.isFile()) out.push(readOne(full, path.relative(root, full)));
  }
}

function readOne(file: string, relPath: string): InputFile {
  return {
    name: path.basename(file),
    path: relPath.split(path.sep).join('/'),
    bytes: new Uint8Array(readFileSync(file)),
  };
}

/** Reads every input path (files, or folders recursively) into memory. */
export function readInputFiles(inputs: readonly string[]): InputFile[] {
  if (inputs.length === 0) throw new LoadError('No input was given: name a NIfTI file or a DICOM folder.');
  const files: InputFile[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new LoadError(`${input} does not exist.`, input);
    if (statSync(input).isDirectory()) {
      const before = files.length;
      walk(input, input, files);
      if (files.length === before) throw new LoadError(`The folder ${input} holds no files.`, input);
    } else {
      files.push(readOne(input, path.basename(input)));
    }
  }
  return files;
}
