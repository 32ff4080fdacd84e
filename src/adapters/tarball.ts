/**
 * Reads an uncompressed tar archive (ustar, with pax and GNU long names), as npm publishes them
 * inside .tgz files. Throws on a corrupt or truncated archive.
 */
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  type: 'file' | 'directory' | 'other';
  data: Buffer;
}

const BLOCK = 512;
const utf8 = new TextDecoder('utf-8');

/**
 * The files of an npm package tarball (gzip, then tar), by their path inside the package: files sit
 * under one top folder, `package/` for packages published by npm.
 */
export function unpackTarball(tgz: Buffer): Map<string, Buffer> {
  return new Map(
    readTar(gunzipSync(tgz))
      .filter((e) => e.type === 'file')
      .map((e) => [e.path.replace(/^\.?\/?[^/]+\//, ''), Buffer.from(e.data)]),
  );
}

export function readTar(archive: Uint8Array): TarEntry[] {
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  const entries: TarEntry[] = [];
  // Set by a pax header ('x') or a GNU long-name entry ('L') for the entry that follows.
  let nextPath: string | undefined;
  for (let pos = 0; pos + BLOCK <= buf.length; ) {
    const header = buf.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (checksum(header) !== readNumber(header, 148, 8)) throw new Error(`corrupt tar header at byte ${pos}`);
    const size = readNumber(header, 124, 12);
    const start = pos + BLOCK;
    if (start + size > buf.length) throw new Error(`truncated tar archive at byte ${pos}`);
    const data = buf.subarray(start, start + size);
    pos = start + Math.ceil(size / BLOCK) * BLOCK;

    const type = header[156] === 0 ? '0' : String.fromCharCode(header[156]);
    if (type === 'x') {
      nextPath = paxRecords(data).get('path') ?? nextPath;
      continue;
    }
    if (type === 'L') {
      nextPath = cString(data);
      continue;
    }
    // Global pax headers hold defaults (comments, times) that do not name files.
    if (type === 'g') continue;
    const path = nextPath ?? ustarName(header);
    nextPath = undefined;
    entries.push({ path, type: type === '0' || type === '7' ? 'file' : type === '5' ? 'directory' : 'other', data });
  }
  return entries;
}

function ustarName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return utf8.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/** Octal text, or base-256 (high bit set) for values that do not fit. */
function readNumber(header: Buffer, offset: number, length: number): number {
  const field = header.subarray(offset, offset + length);
  if (field[0] & 0x80) {
    let n = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i];
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

/** The header's byte sum with the checksum field counted as spaces. */
function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

/** `<length> <key>=<value>\n` records; the length counts the whole record in bytes. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = Number(data.subarray(pos, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.length) break;
    const record = utf8.decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}
