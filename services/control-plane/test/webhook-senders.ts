import { EventListResponseWireSchema } from "@plugboard/contracts";
import type { RunningControlPlane } from "./running-control-plane.js";
import { acknowledgement, POSTMARK, postmarkMessage, sendWebhook } from "./webhook-fixtures.js";

/** What a bounded load of Postmark webhooks got back. */
export interface SentWebhooks {
  readonly statuses: readonly number[];
  /** The stored event id of each accepted webhook, in the order the answers came. */
  readonly eventIds: readonly string[];
}

let sequence = 0;

/** Sends one Postmark webhook; answers its status and, when accepted, its event id. */
export async function deliverPostmark(
  server: RunningControlPlane,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ readonly status: number; readonly eventId: string | undefined }> {
  const response = await sendWebhook(server, POSTMARK, {
    body: postmarkMessage(`pm-load-${process.pid}-${++sequence}`, "order"),
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return {
    status: response.status,
    eventId: response.status === 202 ? (await acknowledgement(response)).event_id : undefined,
  };
}

/**
 * Starts `senders` loops that each send one webhook after another (a bounded load: one
 * request in flight per sender) until `stop()`, which answers what they got.
 */
export function startSenders(
  server: RunningControlPlane,
  token: string,
  senders = 4,
): { stop(): Promise<SentWebhooks> } {
  const statuses: number[] = [];
  const eventIds: string[] = [];
  let running = true;
  const loops = Array.from({ length: senders }, async () => {
    while (running) {
      const { status, eventId } = await deliverPostmark(server, token);
      statuses.push(status);
      if (eventId !== undefined) eventIds.push(eventId);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { statuses, eventIds };
    },
  };
}

/** The subject each stored Postmark event was normalised with, by event id. */
export async function storedSubjects(server: RunningControlPlane): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const page = await server.request(
      "GET",
      `/v1/events?plugin=${POSTMARK}&limit=200${cursor === null ? "" : `&cursor=${cursor}`}`,
    );
    const body = EventListResponseWireSchema.parse(await page.json());
    for (const event of body.events) {
      const data = event.data;
      const subject =
        typeof data === "object" && data !== null && !Array.isArray(data) ? data.subject : null;
      seen.set(event.id, String(subject));
    }
    cursor = body.next_cursor;
  } while (cursor !== null);
  return seen;
}
