import { describe, expect, it } from 'vitest';
import { ModelError } from './manifest';
import { defaultModel, modelKey, parseModelIndex } from './modelIndex';

describe('parseModelIndex', () => {
  const student = { id: 'student', version: '1.0.0', path: 'student/1.0.0/', label: 'student' };
  const teacher = { id: 'teacher', version: '1.0.0', path: 'teacher/1.0.0/', label: '' };

  it('keeps the default and labels every model', () => {
    const index = parseModelIndex({ default: 'teacher/1.0.0/', models: [student, teacher] });
    expect(defaultModel(index).id).toBe('teacher');
    expect(index.models.map((m) => m.label)).toEqual(['student', 'teacher 1.0.0']);
    expect(modelKey(student)).toBe('student@1.0.0');
  });

  it('falls back to the first model when the default is not listed', () => {
    expect(defaultModel(parseModelIndex({ default: 'gone/1/', models: [student, teacher] })).id).toBe('student');
  });

  it('rejects lists without models or with incomplete entries', () => {
    expect(() => parseModelIndex({ default: 'x/', models: [] })).toThrow(ModelError);
    expect(() => parseModelIndex({ models: [{ id: 'a', version: '1' }] })).toThrow(/lacks id, version or path/);
    expect(() => parseModelIndex({ models: [{ ...student, path: 'student/1.0.0' }] })).toThrow(/must end with \//);
    expect(() => parseModelIndex(null)).toThrow(ModelError);
  });
});
