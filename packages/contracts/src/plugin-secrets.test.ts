import { describe, expect, it } from "vitest";
import { PluginSecretsResponseSchema, SecretsWriteRequestWireSchema } from "./plugin-secrets.js";

describe("plugin secrets on the wire", () => {
  it("takes secret values by secret name or null, and answers with names only", () => {
    expect(
      SecretsWriteRequestWireSchema.safeParse({ secrets: { smtp_password: "x", smtp_host: null } })
        .success,
    ).toBe(true);
    for (const secrets of [{ "bad key": "x" }, { smtp_password: "" }, { smtp_password: 5 }]) {
      expect(SecretsWriteRequestWireSchema.safeParse({ secrets }).success).toBe(false);
    }
    const keys = Object.keys(PluginSecretsResponseSchema.shape.secrets.element.shape);
    expect(keys).toEqual(["key", "set", "updatedAt"]);
  });
});
