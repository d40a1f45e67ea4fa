import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

export type ContainedFile =
  | { readonly ok: true; readonly file: string; readonly text: string }
  | {
      readonly ok: false;
      readonly reason: "missing" | "outside" | "too_large" | "unreadable";
      readonly file: string;
      readonly message: string;
    };

/** Whether `path` lies strictly inside `root` (both absolute and resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !isAbsolute(rel) && rel.split(sep)[0] !== "..";
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the UTF-8 text file at `rel` inside `root` (a real path), refusing what an installer
 * must never read on a package's say-so: a path that leaves `root`, a symbolic link (at any
 * depth) to somewhere outside it, something that is not a regular file, and a file over
 * `maxBytes`. The size is checked on the open file and again while reading, so a file that
 * grows in between is still caught.
 */
export async function readContainedFile(
  root: string,
  rel: string,
  maxBytes: number,
): Promise<ContainedFile> {
  const target = resolve(root, rel);
  type Reason = Extract<ContainedFile, { ok: false }>["reason"];
  const refuse = (reason: Reason, message: string): ContainedFile => ({
    ok: false,
    reason,
    file: target,
    message,
  });
  if (isAbsolute(rel) || !isInside(root, target)) {
    return refuse("outside", `"${rel}" leads outside the plugin's directory`);
  }
  let real: string;
  try {
    real = await realpath(target);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return refuse("missing", `"${rel}" does not exist`);
    return refuse("unreadable", `"${rel}" cannot be read: ${messageOf(error)}`);
  }
  if (!isInside(root, real)) {
    return refuse(
      "outside",
      `"${rel}" is a symbolic link to a file outside the plugin's directory`,
    );
  }
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = await handle.stat();
    if (!stat.isFile()) return refuse("unreadable", `"${rel}" is not a regular file`);
    if (stat.size > maxBytes) {
      return refuse(
        "too_large",
        `"${rel}" has ${stat.size} bytes, more than the cap of ${maxBytes}`,
      );
    }
    // One byte more than the file should have, to notice a file that grew after `stat`.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > stat.size) return refuse("unreadable", `"${rel}" changed while it was read`);
    return { ok: true, file: real, text: decoder.decode(buffer.subarray(0, length)) };
  } catch (error) {
    return refuse("unreadable", `"${rel}" cannot be read: ${messageOf(error)}`);
  } finally {
    await handle?.close();
  }
}
