/** Parsing of the CLI's 1-based slice lists and frame numbers ("2-10", "1,3-5,8"). */

/**
 * Included-slice flags from a 1-based list of numbers and ranges, as the CSV's "included slices" row writes
 * them ("1-3, 5"). @throws Error with the problem when the text is not such a list or leaves the 1..count range.
 */
export function parseSliceList(text: string, count: number): boolean[] {
  const included = new Array<boolean>(count).fill(false);
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`"${text}" is not a slice list such as 2-10 or 1,3-5`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b > count || a > b) throw new Error(`slices ${part.trim()} are outside 1-${count}`);
    for (let s = a; s <= b; s++) included[s - 1] = true;
  }
  return included;
}

/** A 1-based frame number as a 0-based index. @throws Error when it is not one of 1..count. */
export function parseFrameNumber(text: string, count: number, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > count)
    throw new Error(`${what} ${text} is not a frame number in 1-${count}`);
  return n - 1;
}
