import { describe, expect, it } from 'vitest';
import { clinicalModelName, orderModels } from './modelNames';

const m = (id: string, version: string) => ({
  id,
  version,
  label: `${id} ${version} (details)`,
  path: `${id}/${version}/`,
});

describe('model names and order', () => {
  it('names models for a clinician and keeps the details for hover', () => {
    expect(clinicalModelName(m('student', '1.1.0'))).toBe('Fast · 1.1.0');
    expect(clinicalModelName(m('teacher', '1.0.0'))).toBe('Accurate, slower · 1.0.0');
    expect(clinicalModelName(m('other', '2.0.0'))).toBe('other 2.0.0 (details)');
  });

  it('orders by id (fast first) and newest version first, whatever the index order', () => {
    const index = [
      m('teacher', '1.0.0'),
      m('student', '1.0.0'),
      m('teacher', '1.10.0'),
      m('student', '1.9.0'),
      m('teacher', '1.2.0'),
    ];
    expect(orderModels(index).map((e) => `${e.id}@${e.version}`)).toEqual([
      'student@1.9.0',
      'student@1.0.0',
      'teacher@1.10.0',
      'teacher@1.2.0',
      'teacher@1.0.0',
    ]);
  });
});
