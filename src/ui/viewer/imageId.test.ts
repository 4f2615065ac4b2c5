import { describe, expect, it } from 'vitest';
import { makeImageId, parseImageId } from './imageId';

describe('imageId', () => {
  it('round-trips', () => {
    const id = makeImageId('s3', 11, 19);
    expect(id).toBe('cineseg:s3:11:19');
    expect(parseImageId(id)).toEqual({ seriesKey: 's3', slice: 11, frame: 19 });
  });

  it('rejects foreign or malformed ids', () => {
    expect(parseImageId('wadouri:http://x/1.dcm')).toBeUndefined();
    expect(parseImageId('cineseg:s1:2')).toBeUndefined();
    expect(parseImageId('cineseg:s1:-1:0')).toBeUndefined();
  });
});
