/**
 * Byte-level tools for making damaged or unusual DICOM files in tests (unit, fuzz and e2e): find the elements of an
 * Explicit VR Little Endian file written by `writeDicom`, and give a file another transfer syntax (deflating its data
 * set for Deflated Explicit VR Little Endian). Test code only: nothing in the app imports it.
 */
import { deflateSync } from 'fflate';

export const DEFLATED_EXPLICIT_LITTLE = '1.2.840.10008.1.2.1.99';

export interface DicomElement {
  tag: number;
  vr: string;
  /** Offset of the length field and its size (2 or 4 bytes). */
  lengthAt: number;
  lengthBytes: 2 | 4;
  valueAt: number;
  length: number;
}

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'SQ', 'UC', 'UR', 'UT', 'UN']);

/** The elements of an Explicit VR Little Endian file (meta group included), in file order. */
export function scanExplicitLittle(bytes: Uint8Array): DicomElement[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: DicomElement[] = [];
  for (let at = 132; at + 8 <= bytes.length;) {
    const tag = (view.getUint16(at, true) << 16) | view.getUint16(at + 2, true);
    const vr = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0);
    const long = LONG_VRS.has(vr);
    const lengthAt = at + (long ? 8 : 6);
    const length = long ? view.getUint32(lengthAt, true) : view.getUint16(lengthAt, true);
    const valueAt = lengthAt + (long ? 4 : 2);
    out.push({ tag: tag >>> 0, vr, lengthAt, lengthBytes: long ? 4 : 2, valueAt, length });
    at = valueAt + length;
  }
  return out;
}

/**
 * The same file with another TransferSyntaxUID in its meta group (group length fixed up); with `deflate` the data set
 * after the meta group is deflated, as Deflated Explicit VR Little Endian stores it.
 */
export function withTransferSyntax(bytes: Uint8Array, uid: string, deflate = false): Uint8Array {
  const elements = scanExplicitLittle(bytes);
  const meta = elements.filter((e) => e.tag >>> 16 === 0x0002 && e.tag !== 0x00020000);
  const metaEnd = Math.max(...meta.map((e) => e.valueAt + e.length));
  const value = uid.length % 2 === 0 ? uid : `${uid}\0`;
  const parts: number[] = [];
  for (const e of meta) {
    const head = Array.from(bytes.subarray(e.lengthAt - (e.lengthBytes === 4 ? 8 : 6), e.lengthAt));
    if (e.tag === 0x00020010) {
      parts.push(...head, value.length & 0xff, value.length >> 8, ...Array.from(value, (c) => c.charCodeAt(0)));
    } else {
      parts.push(...Array.from(bytes.subarray(e.lengthAt - (e.lengthBytes === 4 ? 8 : 6), e.valueAt + e.length)));
    }
  }
  const body = bytes.subarray(metaEnd);
  const payload = deflate ? deflateSync(body) : body;
  const groupLength = [0x02, 0, 0, 0, 0x55, 0x4c, 4, 0, ...new Uint8Array(new Uint32Array([parts.length]).buffer)];
  const out = new Uint8Array(132 + groupLength.length + parts.length + payload.length);
  out.set(bytes.subarray(0, 132));
  out.set(groupLength, 132);
  out.set(parts, 132 + groupLength.length);
  out.set(payload, 132 + groupLength.length + parts.length);
  return out;
}
