import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { integrityOf } from "./package-tarball.js";

export interface PublishOptions {
  /** The integrity the packument declares; that of the tarball when omitted. */
  readonly integrity?: string;
}

/**
 * An npm-compatible registry on 127.0.0.1: `GET /<name>` answers the packument (scoped
 * names arrive as `@scope%2fname`), `GET /<name>/-/<file>.tgz` the tarball. Every request
 * path is recorded, so a test can tell whether anything was downloaded.
 */
export interface LocalNpmRegistry {
  readonly url: string;
  readonly requests: readonly string[];
  publish(name: string, version: string, tarball: Buffer, options?: PublishOptions): void;
  close(): Promise<void>;
}

interface Published {
  versions: Record<
    string,
    { name: string; version: string; dist: { tarball: string; integrity: string } }
  >;
}

export async function startLocalNpmRegistry(): Promise<LocalNpmRegistry> {
  const packuments = new Map<string, Published>();
  const tarballs = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    requests.push(decodeURIComponent(path));
    const tarball = tarballs.get(path);
    if (tarball !== undefined) {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(tarball);
      return;
    }
    const packument = packuments.get(decodeURIComponent(path.slice(1)));
    if (packument === undefined) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "Not found" }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    publish(name, version, tarball, options = {}) {
      const file = `/${name}/-/${name.split("/").at(-1)}-${version}.tgz`;
      tarballs.set(file, tarball);
      const packument = packuments.get(name) ?? { versions: {} };
      packument.versions[version] = {
        name,
        version,
        dist: { tarball: `${url}${file}`, integrity: options.integrity ?? integrityOf(tarball) },
      };
      packuments.set(name, packument);
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
