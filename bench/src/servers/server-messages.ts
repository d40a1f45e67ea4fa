/** What the benchmark sends a server process over IPC. */
export type ToServer =
  | { readonly type: "serve"; readonly path: string; readonly body: string }
  | { readonly type: "cpu-usage" };

export interface Listening {
  readonly type: "listening";
  readonly port: number;
}

export interface CpuUsage {
  readonly type: "cpu-usage";
  readonly micros: number;
}

/** What a server process answers. */
export type FromServer = Listening | CpuUsage;

function send(message: FromServer): void {
  process.send?.(message);
}

export function reportListening(port: number): void {
  send({ type: "listening", port });
}

/**
 * Answers `cpu-usage` with this process's user + system CPU time, so the benchmark can
 * charge each request the server's own CPU, which other load on the machine barely moves.
 */
export function answerCpuUsage(): void {
  process.on("message", (message: ToServer) => {
    if (message.type !== "cpu-usage") return;
    const usage = process.cpuUsage();
    send({ type: "cpu-usage", micros: usage.user + usage.system });
  });
}
