import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { HANDLER_RESULT_SCHEMAS } from "./handler-results.js";
import type {
  ActionExecutorHandlers,
  ChannelHandlers,
  ConditionHandler,
  ConnectorHandlers,
  IngressAdapterHandlers,
  WorkerPackHandlers,
} from "./handlers.js";

/** What a handler resolves to. */
type Resolved<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
type Output<
  K extends keyof typeof HANDLER_RESULT_SCHEMAS,
  H extends string,
> = H extends keyof (typeof HANDLER_RESULT_SCHEMAS)[K]
  ? (typeof HANDLER_RESULT_SCHEMAS)[K][H] extends z.ZodType
    ? z.output<(typeof HANDLER_RESULT_SCHEMAS)[K][H]>
    : never
  : never;

describe("HANDLER_RESULT_SCHEMAS", () => {
  it("declares the same result as each handler type, which is inferred from it", () => {
    expectTypeOf<Resolved<IngressAdapterHandlers["normalize"]>>().toEqualTypeOf<
      Output<"ingress_adapter", "normalize">
    >();
    expectTypeOf<Resolved<ActionExecutorHandlers["execute"]>>().toEqualTypeOf<
      Output<"action_executor", "execute">
    >();
    expectTypeOf<Resolved<WorkerPackHandlers["handleRouteEvent"]>>().toEqualTypeOf<
      Output<"worker_pack", "handleRouteEvent">
    >();
    expectTypeOf<Resolved<NonNullable<ChannelHandlers["getStatus"]>>>().toEqualTypeOf<
      Output<"channel", "getStatus">
    >();
    expectTypeOf<Resolved<ConnectorHandlers["mapToEntities"]>>().toEqualTypeOf<
      Output<"connector", "mapToEntities">
    >();
    expectTypeOf<Resolved<ConditionHandler>>().toEqualTypeOf<
      Output<"rule_operator", "conditions">
    >();
    expectTypeOf<Output<"connector", "sync">>().toExtend<
      Extract<Resolved<ConnectorHandlers["sync"]>, unknown[]>
    >();
  });

  it("refuses a result that is not the declared shape, naming the field", () => {
    const parsed = HANDLER_RESULT_SCHEMAS.action_executor.execute.safeParse({
      status: "failed",
      retryable: "no",
      message: "x",
    });
    expect(parsed.success).toBe(false);
    expect(
      HANDLER_RESULT_SCHEMAS.channel.sendFax.safeParse({ jobId: "j", status: "lost" }).error
        ?.issues[0]?.path,
    ).toEqual(["status"]);
  });

  it("refuses a JSON value that contains itself", () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    expect(
      HANDLER_RESULT_SCHEMAS.ingress_adapter.normalize.safeParse([
        { routeKind: "chat", eventId: "1", data },
      ]).success,
    ).toBe(false);
  });
});
