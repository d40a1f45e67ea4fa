import { randomBytes } from "node:crypto";
import {
  signStandardWebhook,
  standardWebhookKey,
} from "@plugboard/control-plane/src/ingress/standard-webhooks.ts";
import { firstPartyManifestsById } from "@plugboard/plugin-manifests";
import autocannon from "autocannon";
import {
  BENCH_ADMIN_TOKEN,
  controlPlaneEnvironment,
  prepareDataDir,
} from "./control-plane-data-dir.js";
import { median } from "./median.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";

/** Load settings shared by the control plane and its baseline. */
const LOAD = { connections: 10, durationSeconds: 3, warmupSeconds: 2, rounds: 5 } as const;

const POSTMARK = "ingress.postmark.forward-email";
const SIGNED = "ingress.bench.signed-orders";
const SHARED_TOKEN = `bench-webhook-token-${randomBytes(12).toString("hex")}`;
const SIGNING_SECRET = `whsec_${randomBytes(24).toString("base64")}`;

/** Every request of the run gets an event id no other request had, across rounds. */
let sequence = 0;
const nextEventId = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

/** A Postmark inbound message of typical size (about 1 KB), with its own MessageID. */
function postmarkBody(messageId: string): string {
  return JSON.stringify({
    MessageID: messageId,
    FromFull: { Email: "ana@example.com", Name: "Ana Lima", MailboxHash: "" },
    ToFull: [{ Email: "inbound@example.net", Name: "Inbound", MailboxHash: "" }],
    CcFull: [],
    ReplyTo: "",
    Subject: "Fwd: the Q3 proposal for the north-east region",
    Date: "Sat, 1 Mar 2025 12:00:00 +0000",
    TextBody: "Could you follow up with them next week? ".repeat(8),
    HtmlBody: `<p>${"Could you follow up with them next week? ".repeat(8)}</p>`,
    StrippedTextReply: "Could you follow up with them next week?",
    Attachments: [],
  });
}

interface Delivery {
  readonly path: string;
  /** Builds the next request: a fresh event id, its body and its credentials. */
  next(): { body: string; headers: Record<string, string> };
}

const sharedTokenDelivery: Delivery = {
  path: `/webhooks/${POSTMARK}`,
  next: () => ({
    body: postmarkBody(nextEventId("pm")),
    headers: { "content-type": "application/json", authorization: `Bearer ${SHARED_TOKEN}` },
  }),
};

const signingKey = standardWebhookKey(SIGNING_SECRET);
const standardWebhooksDelivery: Delivery = {
  path: `/webhooks/${SIGNED}`,
  next: () => {
    const id = nextEventId("msg");
    const body = postmarkBody(id);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      body,
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signStandardWebhook(signingKey, id, timestamp, body),
      },
    };
  },
};

interface LoadRun {
  readonly rps: number;
  /** The server process's CPU time per answered request. */
  readonly cpuMicrosPerRequest: number;
}

/** One autocannon run; throws unless every request was answered 202 (a new event). */
async function loadRun(
  server: ServerProcess,
  delivery: Delivery,
  durationSeconds: number,
): Promise<LoadRun> {
  const cpuBefore = await server.cpuMicros();
  let refused = 0;
  const result = await autocannon({
    url: server.url,
    connections: LOAD.connections,
    duration: durationSeconds,
    requests: [
      {
        method: "POST",
        path: delivery.path,
        setupRequest: (request) => ({ ...request, ...delivery.next() }),
        onResponse: (status) => {
          if (status !== 202) refused++;
        },
      },
    ],
  });
  const cpuAfter = await server.cpuMicros();
  const failed = result.errors + result.timeouts + refused;
  if (failed > 0) {
    throw new Error(`${server.url}${delivery.path}: ${failed} of ${result.requests.total} failed`);
  }
  return {
    rps: result.requests.total / result.duration,
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / result.requests.total,
  };
}

interface IngestThroughput {
  /** Median over rounds of ingest / bare events per second, each round's pair together. */
  readonly rpsRatio: number;
  /** Median over rounds of bare / ingest server CPU per request. */
  readonly cpuRatio: number;
  readonly eventsPerSecond: number;
  readonly bareRps: number;
  readonly cpuMicrosPerEvent: number;
  readonly bareCpuMicros: number;
  readonly ingest: LoadRun[];
  readonly bare: LoadRun[];
}

/** Warm-up of both, then bare and ingest alternately, so drift hits both alike. */
async function measure(plane: ServerProcess, delivery: Delivery): Promise<IngestThroughput> {
  const bare = await startServerProcess("bare-body-server.ts", { BARE_POST_PATH: delivery.path });
  try {
    await loadRun(bare, delivery, LOAD.warmupSeconds);
    await loadRun(plane, delivery, LOAD.warmupSeconds);
    const rounds: Array<{ bare: LoadRun; ingest: LoadRun }> = [];
    for (let round = 0; round < LOAD.rounds; round++) {
      const bareRun = await loadRun(bare, delivery, LOAD.durationSeconds);
      const ingestRun = await loadRun(plane, delivery, LOAD.durationSeconds);
      rounds.push({ bare: bareRun, ingest: ingestRun });
    }
    return {
      rpsRatio: median(rounds.map((r) => r.ingest.rps / r.bare.rps)),
      cpuRatio: median(
        rounds.map((r) => r.bare.cpuMicrosPerRequest / r.ingest.cpuMicrosPerRequest),
      ),
      eventsPerSecond: median(rounds.map((r) => r.ingest.rps)),
      bareRps: median(rounds.map((r) => r.bare.rps)),
      cpuMicrosPerEvent: median(rounds.map((r) => r.ingest.cpuMicrosPerRequest)),
      bareCpuMicros: median(rounds.map((r) => r.bare.cpuMicrosPerRequest)),
      ingest: rounds.map((r) => r.ingest),
      bare: rounds.map((r) => r.bare),
    };
  } finally {
    await bare.stop();
  }
}

async function adminCall(plane: ServerProcess, method: string, path: string, body: unknown) {
  const response = await fetch(`${plane.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
}

/** The Postmark adapter's manifest as a third-party adapter whose provider signs. */
function signedAdapterManifest() {
  return {
    ...firstPartyManifestsById.get(POSTMARK),
    id: SIGNED,
    owner: "third_party",
    adapterKind: "generic_webhook",
    authentication: "provider_signature",
    normalizedInputRouteKinds: ["bench_order"],
    secretKeys: ["bench_signing_secret"],
  };
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/**
 * Webhook ingest on SQLite — authenticate, normalise, store once per event id, publish on the
 * in-process bus, acknowledge with 202 — for a Postmark message with a shared token and for a
 * Standard Webhooks signed delivery, each in events per second against a bare Fastify route
 * that only reads the body. Target: ratio >= 0.3. Every request carries a new event id.
 */
export async function webhookIngestBenchmarks() {
  // The default log level, as an operator runs it; the server's stdout goes to /dev/null.
  const logLevel = "info";
  const data = await prepareDataDir(0);
  const plane = await startServerProcess(
    "control-plane-server.ts",
    controlPlaneEnvironment(data.dataDir, logLevel),
  );
  try {
    await adminCall(plane, "PUT", `/v1/plugins/${POSTMARK}/secrets`, {
      secrets: { postmark_inbound_token: SHARED_TOKEN },
    });
    await adminCall(plane, "POST", "/v1/plugins", { manifest: signedAdapterManifest() });
    await adminCall(plane, "PUT", `/v1/plugins/${SIGNED}/secrets`, {
      secrets: { bench_signing_secret: SIGNING_SECRET },
    });
    const sharedToken = await measure(plane, sharedTokenDelivery);
    const standardWebhooks = await measure(plane, standardWebhooksDelivery);

    const figures = {
      bodyBytes: Buffer.byteLength(postmarkBody(nextEventId("size"))),
      sharedTokenEventsPerSecond: round(sharedToken.eventsPerSecond),
      sharedTokenBareRps: round(sharedToken.bareRps),
      sharedTokenServerCpuMicrosPerEvent: round(sharedToken.cpuMicrosPerEvent),
      sharedTokenBareServerCpuMicrosPerRequest: round(sharedToken.bareCpuMicros),
      standardWebhooksEventsPerSecond: round(standardWebhooks.eventsPerSecond),
      standardWebhooksBareRps: round(standardWebhooks.bareRps),
      standardWebhooksServerCpuMicrosPerEvent: round(standardWebhooks.cpuMicrosPerEvent),
      standardWebhooksBareServerCpuMicrosPerRequest: round(standardWebhooks.bareCpuMicros),
    };
    const ratios = {
      sharedTokenOverBare: round(sharedToken.rpsRatio, 3),
      standardWebhooksOverBare: round(standardWebhooks.rpsRatio, 3),
      sharedTokenOverBareByServerCpu: round(sharedToken.cpuRatio, 3),
      standardWebhooksOverBareByServerCpu: round(standardWebhooks.cpuRatio, 3),
    };
    const runs = {
      sharedTokenEventsPerSecond: sharedToken.ingest.map((run) => round(run.rps)),
      sharedTokenBareRps: sharedToken.bare.map((run) => round(run.rps)),
      standardWebhooksEventsPerSecond: standardWebhooks.ingest.map((run) => round(run.rps)),
      standardWebhooksBareRps: standardWebhooks.bare.map((run) => round(run.rps)),
    };
    console.log("figures (events or requests/s, bytes, µs):", figures);
    console.log("ratios (ingest / bare route):", ratios);
    console.log(
      `webhook ingest on SQLite (target >= 0.3 of bare): shared token ${ratios.sharedTokenOverBare}, Standard Webhooks ${ratios.standardWebhooksOverBare}`,
    );
    return { settings: { ...LOAD, logLevel, database: "sqlite" }, figures, ratios, runs };
  } finally {
    await plane.stop();
    data.remove();
  }
}
