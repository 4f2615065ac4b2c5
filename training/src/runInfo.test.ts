import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initOfCommand, readRunInfo } from './runInfo';

const write = (dir: string, file: string, v: unknown): void => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), JSON.stringify(v));
};

describe('run information', () => {
  it('reads --init from a command line', () => {
    expect(initOfCommand('node x.ts --model student --init checkpoints/a/last --lr 0.1')).toBe('checkpoints/a/last');
    expect(initOfCommand('--init runs/b/final')).toBe('runs/b/final');
    expect(initOfCommand('node x.ts --model student --initial 3')).toBeUndefined();
    expect(initOfCommand(undefined)).toBeUndefined();
  });

  it('prefers run.json, takes a checkpoint spec.json\'s init from its command, and keeps an explicit init', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-runinfo-'));
    const spec = { kind: 'student', expansion: 8 };
    write(path.join(root, 'ckpt'), 'spec.json', { spec, command: 'node train.ts --init checkpoints/earlier/last --seed 5' });
    expect(readRunInfo(path.join(root, 'ckpt'))?.init).toBe('checkpoints/earlier/last');
    write(path.join(root, 'first'), 'spec.json', { spec, command: 'node train.ts --seed 1' });
    expect(readRunInfo(path.join(root, 'first'))?.init).toBeUndefined();
    write(path.join(root, 'run'), 'spec.json', { spec, command: 'node train.ts --init a/last' });
    write(path.join(root, 'run'), 'run.json', { spec, command: 'node train.ts --init a/last', init: 'b/final', steps: 7 });
    expect(readRunInfo(path.join(root, 'run'))).toMatchObject({ init: 'b/final', steps: 7 });
    expect(readRunInfo(path.join(root, 'none'))).toBeNull();
  });
});
