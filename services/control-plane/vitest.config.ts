import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

/**
 * Every test file runs against SQLite, and again against PostgreSQL when a server is given
 * (`node scripts/postgres-server.mjs -- <command>` at the repository root provides one).
 * `test/running-control-plane.ts` reads PLUGBOARD_TEST_DATABASE to pick the database.
 */
const postgresUrl = process.env.PLUGBOARD_TEST_POSTGRES_URL;

const projects: TestProjectInlineConfiguration[] = [
  { extends: true, test: { name: "sqlite", env: { PLUGBOARD_TEST_DATABASE: "sqlite" } } },
];
if (postgresUrl !== undefined && postgresUrl !== "") {
  projects.push({
    extends: true,
    test: {
      name: "postgres",
      env: { PLUGBOARD_TEST_DATABASE: "postgres", PLUGBOARD_TEST_POSTGRES_URL: postgresUrl },
    },
  });
}

export default defineConfig({
  test: {
    projects,
    // The control plane runs plugin code in isolated-vm isolates, which need Node's startup
    // snapshot off in the processes that create them.
    pool: "forks",
    execArgv: ["--no-node-snapshot"],
  },
});
