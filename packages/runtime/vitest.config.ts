import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // isolated-vm needs Node's startup snapshot off in the processes that create isolates.
    pool: "forks",
    execArgv: ["--no-node-snapshot"],
  },
});
