import { closeSync, openSync, readSync } from 'node:fs';

const strict = (encoding: 'utf-8' | 'utf-16le') => new TextDecoder(encoding, { fatal: true });

/**
 * A text file someone handed over (a certificate, a kept checkpoint), read as the editors and shells
 * that save such files write it: UTF-8, with or without a byte order mark, or UTF-16 after its mark
 * (PowerShell 5's `>`). Bytes that are not the encoding are refused, naming the first one, rather than
 * read as U+FFFD and checked as if they said that.
 */
export function readTextFile(path: string): string {
  const bytes = readAtMost(path, MAX_TEXT_FILE_BYTES);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'UTF-16LE');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const le = Buffer.from(bytes.subarray(2));
    if (le.length % 2) throw new Error(`${path} is not UTF-16BE: an odd number of bytes`);
    return utf16(le.swap16(), 'UTF-16BE');
  }
  const body =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return strict('utf-8').decode(body);
  } catch {
    // everything before the first byte that is not UTF-8 re-encodes as it was written
    const again = Buffer.from(body.toString('utf8'), 'utf8');
    let at = 0;
    while (at < body.length && body[at] === again[at]) at += 1;
    throw new Error(`${path} is not UTF-8 (byte ${at + body.byteOffset - bytes.byteOffset})`);
  }

  function utf16(le: Buffer, name: string): string {
    try {
      return strict('utf-16le').decode(le);
    } catch {
      throw new Error(`${path} is not ${name} after its byte order mark`);
    }
  }
}

/**
 * The most a handed-over file may hold: 256 MiB, far more than a certificate or a kept checkpoint
 * this system writes (a member's year of shifts makes a few MB). A path that never ends (`/dev/zero`,
 * `/dev/urandom`) or a file of gigabytes was read until the kernel killed the process for its memory
 * (exit 137), with nothing said.
 */
export const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

/** The file's bytes, read a piece at a time (a device or a pipe says no size), refused past `max`. */
function readAtMost(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const pieces: Buffer[] = [];
    let total = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
      const read = readSync(fd, piece, 0, piece.length, null);
      if (read === 0) return Buffer.concat(pieces, total);
      pieces.push(piece.subarray(0, read));
      total += read;
      if (total > max)
        throw new Error(
          `${path} holds more than ${max / (1024 * 1024)} MiB: not a file this reads`,
        );
    }
  } finally {
    closeSync(fd);
  }
}
