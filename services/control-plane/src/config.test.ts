import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("the restart settings", () => {
  it("default to 1 s doubling up to 60 s", () => {
    expect(loadConfig({}, "/srv").lifecycle).toMatchObject({
      restartBaseMs: 1_000,
      restartMaxMs: 60_000,
    });
  });

  it("read PLUGBOARD_RESTART_BASE_MS and PLUGBOARD_RESTART_MAX_MS", () => {
    const { lifecycle } = loadConfig(
      { PLUGBOARD_RESTART_BASE_MS: "250", PLUGBOARD_RESTART_MAX_MS: "8000" },
      "/srv",
    );
    expect(lifecycle).toMatchObject({ restartBaseMs: 250, restartMaxMs: 8_000 });
  });

  it("refuse a maximum below the first wait, naming both variables", () => {
    expect(() =>
      loadConfig({ PLUGBOARD_RESTART_BASE_MS: "5000", PLUGBOARD_RESTART_MAX_MS: "1000" }, "/srv"),
    ).toThrow(
      new ConfigError(
        'invalid configuration:\n  PLUGBOARD_RESTART_MAX_MS="1000": expected at least PLUGBOARD_RESTART_BASE_MS (5000)',
      ),
    );
  });

  it("refuse a value that is not a whole number of milliseconds", () => {
    expect(() => loadConfig({ PLUGBOARD_RESTART_BASE_MS: "soon" }, "/srv")).toThrow(
      /PLUGBOARD_RESTART_BASE_MS="soon"/,
    );
  });
});
