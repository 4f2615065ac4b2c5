/** What a training run folder says about itself: run.json when the run has ended, else spec.json (written at its start). */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from './models/spec';

export interface RunInfo {
  spec: ModelSpec;
  command?: string;
  sources?: string;
  init?: unknown;
  [k: string]: unknown;
}

/** run.json, else spec.json, of `dir`; null when it has neither. */
export function readRunInfo(dir: string): RunInfo | null {
  for (const f of ['run.json', 'spec.json']) {
    const file = path.join(dir, f);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as RunInfo;
  }
  return null;
}
