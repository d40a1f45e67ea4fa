import { gunzipSync } from "node:zlib";

/** A regular file of a package, at its path inside the package (`dist/index.js`). */
export interface PackageFile {
  readonly path: string;
  readonly content: Buffer;
}

export interface TarLimits {
  /** Most bytes the gzip stream may expand to. */
  readonly maxUnpackedBytes: number;
  /** Most entries (files and folders) in the archive. */
  readonly maxEntries: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxUnpackedBytes: 32 * 1024 * 1024,
  maxEntries: 2000,
};

/** Why a tarball was refused; the message names the entry where there is one. */
export class UnsafeTarballError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeTarballError";
  }
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString("utf8");
}

function octal(header: Buffer, offset: number, length: number, what: string): number {
  // A set high bit marks GNU base-256, used only for sizes no package needs.
  if (((header[offset] ?? 0) & 0x80) !== 0) {
    throw new UnsafeTarballError(`an entry's ${what} uses base-256 encoding`);
  }
  const text = field(header, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new UnsafeTarballError(`an entry's ${what} is not octal`);
  return Number.parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum === octal(header, 148, 8, "checksum");
}

/** The records of a pax extended header: `<length> <key>=<value>\n`, repeated. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space === -1 ? Number.NaN : Number(data.subarray(at, space).toString("ascii"));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) {
      throw new UnsafeTarballError("a pax extended header is malformed");
    }
    const record = data.subarray(space + 1, at + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/**
 * The path of an entry inside the package: the archive's first folder (`package/` in what
 * `npm pack` writes) is dropped, as npm does. Anything that could land outside the package
 * folder, or means different things on different systems, is refused.
 */
function packagePath(name: string): string {
  if (name.includes("\0") || name.includes("\\")) {
    throw new UnsafeTarballError(`entry "${name}" has a NUL or backslash in its path`);
  }
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) {
    throw new UnsafeTarballError(`entry "${name}" has an absolute path`);
  }
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw new UnsafeTarballError(`entry "${name}" climbs out of the package with ".."`);
  }
  return segments.slice(1).join("/");
}

/**
 * Reads a gzipped package tarball into memory: regular files only, with safe paths. Refuses
 * links, devices, absolute paths, `..`, duplicate paths, a file where a folder must be, a
 * damaged header and anything past the limits, so nothing read from it can point outside
 * the folder it is unpacked into.
 */
export function readPackageTarball(
  tarball: Buffer,
  limits: TarLimits = DEFAULT_TAR_LIMITS,
): PackageFile[] {
  let archive: Buffer;
  try {
    archive = gunzipSync(tarball, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new UnsafeTarballError(
        `the tarball unpacks to more than ${limits.maxUnpackedBytes} bytes`,
      );
    }
    throw new UnsafeTarballError("the tarball is not a valid gzip stream");
  }
  const files: PackageFile[] = [];
  const folders = new Set<string>();
  const taken = new Set<string>();
  let entries = 0;
  let nextName: string | undefined;
  let nextSize: number | undefined;
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) {
      throw new UnsafeTarballError(`the header at byte ${offset} has a wrong checksum`);
    }
    const size = nextSize ?? octal(header, 124, 12, "size");
    nextSize = undefined;
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw new UnsafeTarballError("the archive ends inside an entry");
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (++entries > limits.maxEntries) {
      throw new UnsafeTarballError(`the archive has more than ${limits.maxEntries} entries`);
    }
    if (type === "x") {
      const records = paxRecords(data);
      nextName = records.get("path") ?? nextName;
      const paxSize = records.get("size");
      if (paxSize !== undefined) {
        if (!/^\d+$/.test(paxSize)) throw new UnsafeTarballError("a pax size is not a number");
        nextSize = Number(paxSize);
      }
      continue;
    }
    if (type === "L") {
      nextName = field(data, 0, data.length);
      continue;
    }
    if (type === "g") continue;
    const prefix = field(header, 345, 155);
    const ustarName = field(header, 0, 100);
    const name = nextName ?? (prefix === "" ? ustarName : `${prefix}/${ustarName}`);
    nextName = undefined;
    if (type === "5") {
      const path = packagePath(name);
      if (path !== "") folders.add(path);
      continue;
    }
    if (type !== "0" && type !== "\0" && type !== "7") {
      const what = type === "1" ? "a hard link" : type === "2" ? "a symbolic link" : "not a file";
      throw new UnsafeTarballError(`entry "${name}" is ${what}; a package may hold files only`);
    }
    const path = packagePath(name);
    if (path === "") {
      throw new UnsafeTarballError(`entry "${name}" is not inside the package's top folder`);
    }
    if (taken.has(path)) throw new UnsafeTarballError(`entry "${name}" appears twice`);
    taken.add(path);
    files.push({ path, content: Buffer.from(data) });
  }
  for (const file of files) {
    const parts = file.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      if (taken.has(parent)) {
        throw new UnsafeTarballError(
          `entry "${file.path}" lies under "${parent}", which is a file`,
        );
      }
    }
    if (folders.has(file.path)) {
      throw new UnsafeTarballError(`entry "${file.path}" is both a file and a folder`);
    }
  }
  return files;
}
