import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { paxRecord, type TarEntry, tarGz } from "../../test/package-tarball.js";
import { readPackageTarball, UnsafeTarballError } from "./tar-reader.js";

const read = (entries: readonly TarEntry[], limits?: Parameters<typeof readPackageTarball>[1]) =>
  readPackageTarball(tarGz(entries), limits);

const paths = (entries: readonly TarEntry[]) => read(entries).map((file) => file.path);

describe("readPackageTarball", () => {
  it("reads regular files below the top folder, dropping that folder as npm does", () => {
    const files = read([
      { path: "package/", type: "directory" },
      { path: "package/package.json", content: "{}" },
      { path: "package/dist/index.js", content: "code" },
      { path: "package/./docs/readme.md", content: "docs" },
    ]);
    expect(files.map((file) => [file.path, file.content.toString()])).toEqual([
      ["package.json", "{}"],
      ["dist/index.js", "code"],
      ["docs/readme.md", "docs"],
    ]);
  });

  it("takes a long path from a pax header or a GNU long-name entry", () => {
    const long = `package/${"deep/".repeat(30)}index.js`;
    expect(
      paths([
        { path: "PaxHeader", type: "pax", content: paxRecord("path", long) },
        { path: "package/short", content: "x" },
        { path: "././@LongLink", type: "longname", content: `${long}.map` },
        { path: "package/short2", content: "y" },
      ]),
    ).toEqual([long.slice(8), `${long.slice(8)}.map`]);
  });

  it.each([
    ["a path that climbs out with ..", { path: "package/../../etc/x", content: "x" }, /"\.\."/],
    [
      "a path that climbs out through a pax header",
      { path: "x", type: "pax", content: paxRecord("path", "package/../../x") },
      /"\.\."/,
    ],
    ["an absolute path", { path: "/etc/cron.d/x", content: "x" }, /absolute/],
    ["a Windows drive path", { path: "C:/x", content: "x" }, /absolute/],
    ["a backslash", { path: "package\\..\\x", content: "x" }, /backslash/],
    [
      "a symbolic link",
      { path: "package/l", type: "symlink", linkTarget: "/etc" },
      /symbolic link/,
    ],
    ["a hard link", { path: "package/h", type: "hardlink", linkTarget: "package/a" }, /hard link/],
    ["a fifo", { path: "package/f", type: "fifo" }, /not a file/],
    ["a file outside any top folder", { path: "package.json", content: "{}" }, /top folder/],
  ] as const)("refuses %s", (_label, entry: TarEntry, message) => {
    const entries: TarEntry[] = [{ path: "package/a", content: "a" }, entry];
    // A pax header names the entry after it.
    if (entry.type === "pax") entries.push({ path: "package/b", content: "b" });
    expect(() => read(entries)).toThrow(message);
  });

  it("refuses a path that appears twice, and a file where a folder must be", () => {
    expect(() =>
      read([
        { path: "package/a.js", content: "1" },
        { path: "package/a.js", content: "2" },
      ]),
    ).toThrow(/appears twice/);
    expect(() =>
      read([
        { path: "package/dist", content: "1" },
        { path: "package/dist/index.js", content: "2" },
      ]),
    ).toThrow(/which is a file/);
  });

  it("refuses a damaged header, a stream that is not gzip, and an archive cut short", () => {
    const archive = gunzipSync(tarGz([{ path: "package/a", content: "a" }]));
    archive[0] = "q".charCodeAt(0);
    expect(() => readPackageTarball(gzipSync(archive))).toThrow(/checksum/);
    expect(() => readPackageTarball(Buffer.from("not gzip"))).toThrow(UnsafeTarballError);
    const whole = gunzipSync(tarGz([{ path: "package/a", content: "a".repeat(2000) }]));
    expect(() => readPackageTarball(gzipSync(whole.subarray(0, 1024)))).toThrow(/ends inside/);
  });

  it("stops at the unpacked size and entry count limits", () => {
    const big = [{ path: "package/big", content: "0".repeat(100_000) }];
    expect(() => read(big, { maxUnpackedBytes: 50_000, maxEntries: 10 })).toThrow(
      /more than 50000 bytes/,
    );
    const many = Array.from({ length: 11 }, (_, i) => ({ path: `package/f${i}`, content: "x" }));
    expect(() => read(many, { maxUnpackedBytes: 1_000_000, maxEntries: 10 })).toThrow(
      /more than 10 entries/,
    );
  });
});
