/** Minimal `--key value` / `--flag` parser with defaults; unknown keys are an error. */
export function parseArgs<T extends Record<string, string>>(argv: string[], defaults: T): T {
  const out: Record<string, string> = { ...defaults };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const key = a.slice(2);
    if (!(key in defaults)) throw new Error(`unknown option --${key}; known: ${Object.keys(defaults).join(', ')}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = 'true';
    else {
      out[key] = next;
      i++;
    }
  }
  if (positional.length) out._ = positional.join(' ');
  return out as T;
}
