import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

/** One archive entry as a test wants it, including entries a safe reader must refuse. */
export interface TarEntry {
  readonly path: string;
  readonly content?: string | Buffer;
  /** `pax` and `longname` are headers that name the entry after them; `fifo` is a special file. */
  readonly type?: "file" | "directory" | "symlink" | "hardlink" | "fifo" | "pax" | "longname";
  readonly linkTarget?: string;
}

const TYPE_FLAGS = {
  file: "0",
  directory: "5",
  symlink: "2",
  hardlink: "1",
  fifo: "6",
  pax: "x",
  longname: "L",
} as const;

/** The body of a pax extended header: `<length> <key>=<value>\n`, the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`${value} does not fit ${length} bytes`);
  bytes.copy(header, offset);
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

/** A ustar header block; the checksum is computed as the format says. */
function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  writeString(block, 0, 100, entry.path);
  writeOctal(block, 100, 8, entry.type === "directory" ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0);
  block.fill(0x20, 148, 156);
  writeString(block, 156, 1, TYPE_FLAGS[entry.type ?? "file"]);
  writeString(block, 157, 100, entry.linkTarget ?? "");
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** A gzipped tar archive of `entries`, in order, exactly as given. */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = ["file", "pax", "longname", undefined].includes(entry.type)
      ? Buffer.from(entry.content ?? "")
      : Buffer.alloc(0);
    blocks.push(header(entry, content.length), content);
    const padding = (512 - (content.length % 512)) % 512;
    blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** The npm-style `sha512-…` integrity of bytes. */
export function integrityOf(bytes: Buffer): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

export interface PackageSpec {
  readonly name: string;
  readonly version: string;
  /** Written as plugboard.manifest.json at the package root when given. */
  readonly manifest?: unknown;
  /** More files, by path inside the package. */
  readonly files?: Readonly<Record<string, string>>;
  /** Entries appended after the package's own, such as unsafe ones. */
  readonly extra?: readonly TarEntry[];
}

/** A package tarball as `npm pack` lays it out: every entry under `package/`. */
export function packageTarball(spec: PackageSpec): Buffer {
  const entries: TarEntry[] = [
    {
      path: "package/package.json",
      content: JSON.stringify({ name: spec.name, version: spec.version }),
    },
  ];
  if (spec.manifest !== undefined) {
    entries.push({
      path: "package/plugboard.manifest.json",
      content: JSON.stringify(spec.manifest),
    });
  }
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    entries.push({ path: `package/${path}`, content });
  }
  return tarGz([...entries, ...(spec.extra ?? [])]);
}

/** The install request's `bundle` for a tarball. */
export function bundleOf(tarball: Buffer): { tarball: string; integrity: string } {
  return { tarball: tarball.toString("base64"), integrity: integrityOf(tarball) };
}
