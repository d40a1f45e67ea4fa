// Brings a fresh checkout to a working state with only Node and npm present: installs the
// pinned pnpm when it is missing, then installs the workspace when node_modules is absent
// or older than the lockfile. Cheap when everything is already in place.
import { execSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";

const root = new URL("..", import.meta.url);
const { packageManager } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const pnpmVersion = packageManager.replace(/^pnpm@/, "");

function run(command) {
  execSync(command, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
}

function installedPnpm() {
  try {
    return execSync("pnpm --version", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

if (installedPnpm() !== pnpmVersion) {
  console.log(`bootstrap: installing pnpm ${pnpmVersion}`);
  run(`npm install --global pnpm@${pnpmVersion}`);
}

const marker = new URL("node_modules/.modules.yaml", root);
const lockfile = new URL("pnpm-lock.yaml", root);
if (!existsSync(marker) || statSync(lockfile).mtimeMs > statSync(marker).mtimeMs) {
  console.log("bootstrap: installing workspace dependencies");
  run(`pnpm install ${process.env.CI ? "--frozen-lockfile" : ""}`);
}
