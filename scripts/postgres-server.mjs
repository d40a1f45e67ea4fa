// Runs a throwaway PostgreSQL cluster for tests: a fresh data directory in a temp dir, on
// 127.0.0.1 and a free port, trust auth, fsync off; stopped and deleted when done.
//
//   node scripts/postgres-server.mjs -- <command...>
//     runs the command with PLUGBOARD_TEST_POSTGRES_URL set, exits with its exit code.
//   node scripts/postgres-server.mjs
//     prints PLUGBOARD_TEST_POSTGRES_URL=... and keeps the cluster until SIGINT/SIGTERM.
//
// The binaries come from /usr/lib/postgresql/<major>/bin (Debian `postgresql`). When they are
// missing and we are root with apt-get, the package is installed. When PostgreSQL cannot be
// had, CI (CI set) fails; elsewhere the command runs without the URL, with a warning, so the
// tests still run on SQLite. When PLUGBOARD_TEST_POSTGRES_URL is already set, the command
// runs against that server and no cluster is started.
import { spawn, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const URL_VARIABLE = "PLUGBOARD_TEST_POSTGRES_URL";
const POSTGRES_ROOT = "/usr/lib/postgresql";
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 };

const separator = process.argv.indexOf("--");
const command = separator === -1 ? [] : process.argv.slice(separator + 1);
if (separator !== -1 && command.length === 0) {
  console.error("postgres-server: expected a command after --");
  process.exit(2);
}
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

function log(message) {
  console.error(`postgres-server: ${message}`);
}

/** The bin directory of the newest installed major version, or undefined. */
function findBinDir() {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const majors = readdirSync(POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => existsSync(join(POSTGRES_ROOT, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length === 0 ? undefined : join(POSTGRES_ROOT, majors[0], "bin");
}

function hasAptGet() {
  return spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function aptGet(args) {
  const result = spawnSync("apt-get", args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

/** Finds the binaries, installing the Debian package when that is possible. */
function ensureBinDir() {
  const found = findBinDir();
  if (found !== undefined) return { binDir: found };
  if (process.getuid?.() !== 0 || !hasAptGet()) {
    return {
      problem: `no PostgreSQL binaries under ${POSTGRES_ROOT}/<major>/bin, and they cannot be installed here (needs root and apt-get); install the Debian package "postgresql"`,
    };
  }
  log("installing PostgreSQL (apt-get install -y postgresql)");
  const installArgs = ["install", "-y", "--no-install-recommends", "postgresql"];
  if (!aptGet(installArgs) && !(aptGet(["update"]) && aptGet(installArgs))) {
    return { problem: "apt-get install -y postgresql failed; see the output above" };
  }
  const installed = findBinDir();
  if (installed === undefined) {
    return { problem: `apt-get installed "postgresql" but no initdb is under ${POSTGRES_ROOT}` };
  }
  return { binDir: installed };
}

/** uid and gid of the `postgres` user, from /etc/passwd. */
function postgresUser() {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  if (line === undefined)
    throw new Error('running as root, but there is no "postgres" user to run PostgreSQL as');
  const [, , uid, gid, , home] = line.split(":");
  return { uid: Number(uid), gid: Number(gid), home };
}

/** True when every directory from `/` down to `dir` can be entered by any user. */
function traversableByOthers(dir) {
  for (let current = dir; ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A PostgreSQL cluster in `dir`, run as `user` (or as ourselves when user is undefined). */
function createCluster(binDir, user) {
  const base = user === undefined || traversableByOthers(tmpdir()) ? tmpdir() : "/tmp";
  const dir = mkdtempSync(join(base, "plugboard-postgres-"));
  const dataDir = join(dir, "data");
  const socketDir = join(dir, "socket");
  mkdirSync(socketDir);
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(socketDir, user.uid, user.gid);
  }
  const asOwner = {
    cwd: dir,
    encoding: "utf8",
    ...(user === undefined
      ? {}
      : { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home } }),
  };
  const run = (program, args) => spawnSync(join(binDir, program), args, asOwner);
  let port;
  let started = false;

  return {
    dir,
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    async start() {
      const init = run("initdb", [
        "-D",
        dataDir,
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "--no-locale",
        "--encoding=UTF8",
      ]);
      if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
      // Another process may take the free port between the probe and the start: retry.
      for (let attempt = 1; ; attempt += 1) {
        port = await freePort();
        const options = [
          "-c listen_addresses=127.0.0.1",
          `-p ${port}`,
          `-k ${socketDir}`,
          "-c fsync=off",
          "-c synchronous_commit=off",
          "-c full_page_writes=off",
          // Test files run in parallel, each server with its own pool.
          "-c max_connections=300",
        ].join(" ");
        const result = run("pg_ctl", [
          "-D",
          dataDir,
          "-l",
          join(dir, "postgres.log"),
          "-w",
          "-t",
          "60",
          "-o",
          options,
          "start",
        ]);
        if (result.status === 0) {
          started = true;
          return;
        }
        if (attempt === 3) {
          const serverLog = existsSync(join(dir, "postgres.log"))
            ? readFileSync(join(dir, "postgres.log"), "utf8")
            : "";
          throw new Error(`pg_ctl start failed:\n${result.stdout}${result.stderr}${serverLog}`);
        }
      }
    },
    /** Synchronous, so that it also works from an exit handler. */
    stop() {
      // A terminal's Ctrl-C may already have shut the server down.
      if (started && existsSync(join(dataDir, "postmaster.pid"))) {
        const result = run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
        if (result.status !== 0) {
          log(`pg_ctl stop failed, stopping it immediately:\n${result.stdout}${result.stderr}`);
          run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
        }
      }
      started = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `argv` with the extra environment; resolves with its exit code (128+n for a signal). */
function runCommand(argv, extraEnv, onSpawn) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: "inherit",
      env: { ...process.env, ...extraEnv },
    });
    onSpawn(child);
    child.on("error", (error) => {
      log(`cannot run ${argv[0]}: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? 128 + (SIGNAL_NUMBERS[signal] ?? 1)));
  });
}

async function main() {
  const given = process.env[URL_VARIABLE];
  if (given !== undefined && given !== "" && command.length > 0) {
    // Already inside a wrapper, or pointed at a server of one's own: use that one.
    log(`using the PostgreSQL server in ${URL_VARIABLE}`);
    return runCommand(command, {}, () => {});
  }
  const { binDir, problem } = ensureBinDir();
  if (binDir === undefined) {
    if (inCi || command.length === 0) {
      log(`cannot start PostgreSQL: ${problem}`);
      return 1;
    }
    log(`WARNING: ${problem}; running without PostgreSQL (${URL_VARIABLE} unset)`);
    return runCommand(command, {}, () => {});
  }

  const cluster = createCluster(binDir, process.getuid?.() === 0 ? postgresUser() : undefined);
  let child;
  let stopping = false;
  const onSignal = (signal) => {
    if (child !== undefined && child.exitCode === null) {
      // Forward it (a terminal's Ctrl-C reaches the child too); the cluster stops once the
      // child has exited.
      child.kill(signal);
      return;
    }
    if (stopping) return;
    stopping = true;
    cluster.stop();
    process.exit(128 + SIGNAL_NUMBERS[signal]);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", () => cluster.stop());

  try {
    await cluster.start();
  } catch (error) {
    log(error.message);
    cluster.stop();
    return 1;
  }

  if (command.length === 0) {
    console.log(`${URL_VARIABLE}=${cluster.url}`);
    log(`data in ${cluster.dir}; stop with Ctrl-C`);
    // Signal listeners do not keep Node alive; this timer does, until a signal arrives.
    setInterval(() => {}, 1 << 30);
    await new Promise(() => {});
  }
  log(`PostgreSQL on ${cluster.url}`);
  const code = await runCommand(command, { [URL_VARIABLE]: cluster.url }, (spawned) => {
    child = spawned;
  });
  cluster.stop();
  return code;
}

process.exitCode = await main();
