/**
 * Teacher logits (with TTA) on the whole canvas of every training slice, computed once and stored as
 * float16-free raw float32 files under runs/<teacher>/cache/, keyed by slice. The sampler transforms them
 * with the same geometric augmentation as the image.
 */
import fs from 'node:fs';
import path from 'node:path';

export function cacheFile(teacherRun: string): string {
  return path.join(teacherRun, 'cache', 'logits.bin');
}

export function writeTeacherCache(teacherRun: string, entries: Map<string, Float32Array>): void {
  const dir = path.join(teacherRun, 'cache');
  fs.mkdirSync(dir, { recursive: true });
  const keys = [...entries.keys()];
  const size = entries.get(keys[0]!)!.length;
  const fd = fs.openSync(cacheFile(teacherRun), 'w');
  for (const k of keys) {
    const a = entries.get(k)!;
    fs.writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ size, keys }));
}

export function readTeacherCache(teacherRun: string, needed: string[]): Map<string, Float32Array> {
  const dir = path.join(teacherRun, 'cache');
  if (!fs.existsSync(path.join(dir, 'index.json'))) {
    throw new Error(`no teacher cache in ${dir}: run cacheTeacher.ts --teacher ${teacherRun} first`);
  }
  const { size, keys } = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { size: number; keys: string[] };
  const buf = fs.readFileSync(cacheFile(teacherRun));
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const map = new Map<string, Float32Array>();
  keys.forEach((k, i) => map.set(k, all.subarray(i * size, (i + 1) * size)));
  const missing = needed.filter((k) => !map.has(k));
  if (missing.length) throw new Error(`teacher cache lacks ${missing.length} slices (e.g. ${missing[0]}); rebuild it`);
  return map;
}
