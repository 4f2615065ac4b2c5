/**
 * Test code only: what a loader call gave, asserted. `expectLoadError` runs `fn` and returns the LoadError it
 * threw (failing the test if it threw anything else or nothing); `expectSeries` loads `files` and returns the one
 * series (failing when the outcome is a choice of series or nothing).
 */
import { expect } from 'vitest';
import { LoadError } from '../errors';
import { loadFiles, type LoadOptions } from '../index';
import type { InputFile, LoadedSeries } from '../types';

export function expectLoadError(fn: () => unknown): LoadError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return e as LoadError;
  }
  throw new Error('expected a LoadError');
}

export function expectSeries(files: InputFile[], options: LoadOptions = {}): LoadedSeries {
  const outcome = loadFiles(files, options);
  if (outcome.kind !== 'series') throw new Error(`expected one series, got ${outcome.kind}`);
  return outcome.series;
}
