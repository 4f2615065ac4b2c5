/** Test code only: the segment CLI run in-process with its output captured, and whether a model is published. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODELS_DIR } from '../models';
import { runSegmentCli, type CliIo } from '../segment';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await runSegmentCli(argv, io);
  return { code, stdout, stderr };
}

/** A model is published in this checkout (public/models/index.json and its default folder). */
export function modelAvailable(): boolean {
  const index = path.join(DEFAULT_MODELS_DIR, 'index.json');
  if (!existsSync(index)) return false;
  const { default: def } = JSON.parse(readFileSync(index, 'utf8')) as { default?: string };
  return def !== undefined && existsSync(path.join(DEFAULT_MODELS_DIR, def, 'manifest.json'));
}
