import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../events/event-envelope.js";
import { newEventId } from "../events/event-id.js";
import { type Database, migrateToLatest, openDatabase } from "../store/database.js";
import { createIngressEventWriter } from "./ingress-event-writer.js";

const SOURCE = "ingress.postmark.forward-email";
const quiet = { warn: () => {} };

const event = (): EventEnvelope => {
  const id = newEventId();
  return {
    id,
    type: "route.forward_email",
    version: 1,
    time: new Date().toISOString(),
    source: SOURCE,
    correlationId: id,
    data: { subject: "hello" },
  };
};

describe("ingress event writer", () => {
  let dataDir: string;
  let database: Database;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "plugboard-ingress-writer-"));
    database = openDatabase({ dataDir, databaseUrl: undefined });
    await migrateToLatest(database);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const rows = () =>
    database.db
      .selectFrom("ingress_events")
      .select(["id", "provider_event_id", "status"])
      .orderBy("seq")
      .execute();

  it("stores the events of one turn together, answering a repeated provider id with the first event", async () => {
    const writer = createIngressEventWriter(database.db, quiet);
    const [a, b, c] = [event(), event(), event()];
    const outcomes = await Promise.all([
      writer.record(a, "msg-1"),
      writer.record(b, "msg-2"),
      writer.record(c, "msg-1"),
    ]);
    expect(outcomes).toEqual([
      { eventId: a.id, duplicate: false },
      { eventId: b.id, duplicate: false },
      { eventId: a.id, duplicate: true },
    ]);
    expect((await rows()).map((row) => row.provider_event_id)).toEqual(["msg-1", "msg-2"]);
  });

  it("marks published events with a later write, and drains before it resolves", async () => {
    const writer = createIngressEventWriter(database.db, quiet);
    const first = event();
    await writer.record(first, "msg-1");
    writer.markPublished(first.id);
    await writer.drain();
    expect(await rows()).toEqual([
      { id: first.id, provider_event_id: "msg-1", status: "published" },
    ]);
  });

  it("marks an event published and dispatched together, and either mark alone", async () => {
    const writer = createIngressEventWriter(database.db, quiet);
    const [both, published, dispatched] = [event(), event(), event()];
    await Promise.all([
      writer.record(both, "msg-both"),
      writer.record(published, "msg-published"),
      writer.record(dispatched, "msg-dispatched"),
    ]);
    writer.markPublished(both.id);
    writer.markPublished(published.id);
    writer.markDispatched(both.id);
    writer.markDispatched(dispatched.id);
    await writer.drain();
    const marked = await database.db
      .selectFrom("ingress_events")
      .select(["provider_event_id", "status", "published_at", "dispatched_at"])
      .orderBy("provider_event_id")
      .execute();
    expect(
      marked.map((row) => ({
        id: row.provider_event_id,
        status: row.status,
        published: row.published_at !== null,
        dispatched: row.dispatched_at !== null,
      })),
    ).toEqual([
      { id: "msg-both", status: "published", published: true, dispatched: true },
      { id: "msg-dispatched", status: "pending", published: false, dispatched: true },
      { id: "msg-published", status: "published", published: true, dispatched: false },
    ]);
  });

  it("refuses only the delivery whose row fails, not those that shared its transaction", async () => {
    await sql`create trigger refuse_poison before insert on ingress_events when new.provider_event_id = 'poison' begin select raise(abort, 'refused'); end`.execute(
      database.db,
    );
    const writer = createIngressEventWriter(database.db, quiet);
    const results = await Promise.allSettled([
      writer.record(event(), "msg-before"),
      writer.record(event(), "poison"),
      writer.record(event(), "msg-after"),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await rows()).map((row) => row.provider_event_id).sort()).toEqual([
      "msg-after",
      "msg-before",
    ]);
  });
});
