import type { ChannelSendRequest } from "@plugboard/contracts";
import type { JobUpdate } from "./channel-job-store.js";

/**
 * How a channel reaches its provider: a declarative HTTP runtime through the interpreter,
 * or plugin code in its sandbox. Neither throws for a provider's refusal or a network
 * failure; those come back as a failed `JobUpdate`.
 */
export interface ChannelTransport {
  /** Sends the message, fax or call; a failure fails the job. */
  send(request: ChannelSendRequest): Promise<JobUpdate>;
  /** Asks where the provider's job stands; a failure is recorded, the job's status kept. */
  getStatus(providerJobId: string): Promise<JobUpdate>;
  /** Whether the channel can be asked for a job's status at all. */
  readonly canGetStatus: boolean;
}
