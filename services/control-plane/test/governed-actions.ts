import {
  ActionDetailWireSchema,
  ActionWireSchema,
  WorkerInstallResultWireSchema,
} from "@plugboard/contracts";
import { smtpRelayProvider } from "@plugboard/plugin-manifests";
import { expect } from "vitest";
import type { z } from "zod";
import type { LocalSmtpServer } from "./local-smtp-server.js";
import type { RunningControlPlane } from "./running-control-plane.js";

export type WireAction = z.infer<typeof ActionWireSchema>;
export type WireActionDetail = z.infer<typeof ActionDetailWireSchema>;

/** The relay login the tests store; the local SMTP server accepts any. */
export const SMTP_LOGIN = { username: "relay-user", password: "relay-password-Zq81" } as const;
export const FROM_ADDRESS = "followups@acme.example";

/** A follow-up email as a worker would propose it. */
export const FOLLOW_UP_EMAIL = {
  to: ["ann@client.example", "bo@client.example"],
  cc: ["lead@acme.example"],
  subject: "Next steps after Tuesday's call",
  text: "Hi Ann, thanks for the call. As agreed, we will send the proposal by Friday.",
} as const;

/** Points the SMTP relay connection at the local SMTP server, through the secrets API. */
export async function connectSmtpRelay(
  server: RunningControlPlane,
  smtp: Pick<LocalSmtpServer, "host" | "port">,
): Promise<void> {
  const response = await server.request("PUT", `/v1/plugins/${smtpRelayProvider.id}/secrets`, {
    body: {
      secrets: {
        smtp_host: smtp.host,
        smtp_port: String(smtp.port),
        smtp_username: SMTP_LOGIN.username,
        smtp_password: SMTP_LOGIN.password,
        smtp_from_address: FROM_ADDRESS,
      },
    },
  });
  expect(response.status).toBe(200);
}

/** Installs a follow-up worker (needs the relay connected) and returns its id. */
export async function installFollowUpWorker(server: RunningControlPlane): Promise<string> {
  const response = await server.request("POST", "/v1/workers", {
    body: { worker_pack_id: "follow_up_v1" },
  });
  expect(response.status).toBe(201);
  return WorkerInstallResultWireSchema.parse(await response.json()).worker.id;
}

export async function setBoundaryMode(
  server: RunningControlPlane,
  workerId: string,
  mode: "auto" | "ask_me" | "never",
): Promise<void> {
  const response = await server.request(
    "PUT",
    `/v1/workers/${workerId}/action-capabilities/send_email`,
    { body: { boundary_mode: mode } },
  );
  expect(response.status).toBe(200);
}

/** Requests a send_email action for the worker and returns it as created. */
export async function requestEmail(
  server: RunningControlPlane,
  workerId: string,
  payload: Record<string, unknown> = FOLLOW_UP_EMAIL,
): Promise<WireAction> {
  const response = await server.request("POST", "/v1/actions", {
    body: { worker_id: workerId, kind: "send_email", payload },
  });
  expect(response.status).toBe(201);
  return ActionWireSchema.parse(await response.json());
}

export async function getAction(
  server: RunningControlPlane,
  id: string,
): Promise<WireActionDetail> {
  const response = await server.request("GET", `/v1/actions/${id}`);
  expect(response.status).toBe(200);
  return ActionDetailWireSchema.parse(await response.json());
}

/** Polls the action until its status is one of `statuses`; fails after `timeoutMs`. */
export async function waitForStatus(
  server: RunningControlPlane,
  id: string,
  statuses: readonly string[],
  timeoutMs = 10_000,
): Promise<WireActionDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const action = await getAction(server, id);
    if (statuses.includes(action.status)) return action;
    if (Date.now() > deadline) {
      throw new Error(`action ${id} is ${action.status}, expected ${statuses.join(" or ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Settings that keep executor tests quick: short polls, backoff and lease. */
export const QUICK_EXECUTOR = {
  PLUGBOARD_ACTION_POLL_MS: "50",
  PLUGBOARD_ACTION_BACKOFF_MS: "100",
  PLUGBOARD_ACTION_MAX_ATTEMPTS: "3",
} as const;
