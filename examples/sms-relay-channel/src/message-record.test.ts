import { describe, expect, it } from "vitest";
import { fromStored, type MessageRecord, recordKey, toStored } from "./message-record.js";

const RECORD: MessageRecord = {
  to: "+15550199",
  status: "in_progress",
  relayStatus: "sending",
  updatedAt: "2025-03-01T12:00:00.000Z",
};

describe("message records in storage", () => {
  it("keeps each message under job:<id>", () => {
    expect(recordKey("msg_1")).toBe("job:msg_1");
  });

  it("reads back what it stored", () => {
    expect(fromStored(toStored(RECORD))).toEqual(RECORD);
    expect(fromStored(toStored({ ...RECORD, to: null }))).toEqual({ ...RECORD, to: null });
  });

  it("treats a missing or unreadable record as none", () => {
    expect(fromStored(undefined)).toBeUndefined();
    expect(fromStored("queued")).toBeUndefined();
    expect(fromStored([RECORD.status])).toBeUndefined();
    expect(fromStored({ ...RECORD, status: "sent" })).toBeUndefined();
    expect(fromStored({ ...RECORD, updatedAt: 7 })).toBeUndefined();
  });
});
