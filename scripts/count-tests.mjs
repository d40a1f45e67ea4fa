// Sums the vitest JSON reports of every workspace package into the one line CI reads:
// "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";

const root = new URL("..", import.meta.url);
let passed = 0;
let failed = 0;
let reports = 0;
for (const group of ["packages", "services", "apps", "examples"]) {
  const dir = new URL(`${group}/`, root);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const report = new URL(`${group}/${name}/test-results.json`, root);
    if (!existsSync(report)) continue;
    const result = JSON.parse(readFileSync(report, "utf8"));
    passed += result.numPassedTests;
    // A file that failed outside its tests (a throwing beforeAll, an import error) reports its
    // tests as skipped: it counts as one failure.
    const brokenFiles = (result.testResults ?? []).filter(
      (file) =>
        file.status === "failed" &&
        !(file.assertionResults ?? []).some((test) => test.status === "failed"),
    ).length;
    failed += result.numFailedTests + brokenFiles;
    reports += 1;
  }
}
if (reports === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
