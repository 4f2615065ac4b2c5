/**
 * The model list as a clinician reads it: "Fast" (the student) and "Accurate, slower" (the teacher with test-time
 * augmentation), newest version first within each, with the technical label (architecture, distillation) on hover.
 * Model ids stay strings and the order comes from id and version, never from positions in index.json.
 */
import type { ModelIndexEntry } from '@/segment/manifest';

const PLAIN_NAMES: Record<string, string> = {
  student: 'Fast',
  teacher: 'Accurate, slower',
};

/** "Fast · 1.1.0" / "Accurate, slower · 1.0.0"; an unknown id keeps its own label. */
export function clinicalModelName(m: Pick<ModelIndexEntry, 'id' | 'version' | 'label'>): string {
  const plain = PLAIN_NAMES[m.id];
  return plain ? `${plain} · ${m.version}` : m.label;
}

/** Numeric-aware version comparison: 1.10.0 after 1.9.0. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/** Fast models first, then accurate ones, then any other id alphabetically; newest version first within an id. */
export function orderModels<T extends Pick<ModelIndexEntry, 'id' | 'version'>>(models: readonly T[]): T[] {
  const rank = (id: string): number => {
    const i = Object.keys(PLAIN_NAMES).indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...models].sort(
    (a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id) || compareVersions(b.version, a.version),
  );
}
