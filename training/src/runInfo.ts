/** What a training run folder says about itself: run.json when the run has ended, else spec.json (written at its start). */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from './models/spec';
import { TRAINING_DIR } from './paths';

export interface RunInfo {
  spec: ModelSpec;
  command?: string;
  sources?: string;
  init?: unknown;
  [k: string]: unknown;
}

/** The `--init` folder of a train.ts command line, or undefined. */
export function initOfCommand(command: string | undefined): string | undefined {
  const m = command?.match(/(?:^|\s)--init\s+(\S+)/);
  return m?.[1];
}

/**
 * run.json, else spec.json, of `dir`; null when it has neither. spec.json (a run's start, and what a committed
 * checkpoint keeps) has no `init` field: it is read from the command, so that init chains through checkpoints
 * (run C from B's checkpoint, B from A's) are followed to their first run.
 */
export function readRunInfo(dir: string): RunInfo | null {
  for (const f of ['run.json', 'spec.json']) {
    const file = path.join(dir, f);
    if (!fs.existsSync(file)) continue;
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as RunInfo;
    if (info.init === undefined) {
      const init = initOfCommand(info.command);
      if (init) info.init = init;
    }
    return info;
  }
  return null;
}

/** One run a run was started from: its folder name, the `--init` checkpoint folder (absolute) and its information. */
export interface InitLink {
  run: string;
  checkpoint: string;
  info: RunInfo;
}

/**
 * The runs `info` was started from, nearest first (its `init`, that run's `init`, ... back to a run from scratch).
 * `init` paths are relative to training/. Throws when a run folder on the chain has no run information.
 */
export function initChain(info: RunInfo, maxDepth = 20): InitLink[] {
  const links: InitLink[] = [];
  for (let r = info; typeof r.init === 'string' && links.length < maxDepth; ) {
    const checkpoint = path.resolve(TRAINING_DIR, r.init);
    const from = path.dirname(checkpoint);
    const next = readRunInfo(from);
    if (!next) throw new Error(`--init ${r.init}: neither run.json nor spec.json in ${from}`);
    links.push({ run: path.basename(from), checkpoint, info: next });
    r = next;
  }
  return links;
}
