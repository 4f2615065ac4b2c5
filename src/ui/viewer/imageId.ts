/**
 * Image ids served by our cornerstone image loader: `cineseg:<seriesKey>:<slice>:<frame>`. The series key changes
 * with every loaded series, so cornerstone's image cache can never hand back a frame of the previous series.
 */
export const IMAGE_ID_SCHEME = 'cineseg';

export interface ParsedImageId {
  seriesKey: string;
  slice: number;
  frame: number;
}

export function makeImageId(seriesKey: string, slice: number, frame: number): string {
  return `${IMAGE_ID_SCHEME}:${seriesKey}:${slice}:${frame}`;
}

export function parseImageId(imageId: string): ParsedImageId | undefined {
  const m = /^cineseg:([A-Za-z0-9_-]+):(\d+):(\d+)$/.exec(imageId);
  if (!m) return undefined;
  return { seriesKey: m[1] as string, slice: Number(m[2]), frame: Number(m[3]) };
}
