import MailComposer from "nodemailer/lib/mail-composer";
import SMTPConnection from "nodemailer/lib/smtp-connection";

// Child-process entry: the baseline of the action benchmark. Sends `count` messages like the
// reviewed-send executor does (one composed message and one SMTP connection per send, `concurrency`
// connections at once), with no database, queue or audit around them.

export type ToSender = {
  readonly type: "send";
  readonly port: number;
  readonly count: number;
  readonly concurrency: number;
};
export type FromSender = { readonly type: "ready" } | { readonly type: "sent" };

async function sendOne(port: number, index: number): Promise<void> {
  const mail = new MailComposer({
    from: "followups@acme.example",
    to: ["ann@client.example", "bo@client.example"],
    subject: "Next steps after Tuesday's call",
    text: "Hi Ann, thanks for the call. As agreed, we will send the proposal by Friday.",
    messageId: `<bare-${process.pid}-${index}@acme.example>`,
  }).compile();
  const message = await mail.build();
  const connection = new SMTPConnection({ host: "127.0.0.1", port, logger: false });
  await new Promise<void>((resolve, reject) => {
    connection.once("error", reject);
    connection.connect(() =>
      connection.login({ user: "bench", pass: "bench" }, (loginError) => {
        if (loginError) return reject(loginError);
        connection.send(mail.getEnvelope(), message, (sendError) => {
          if (sendError) return reject(sendError);
          connection.quit();
          resolve();
        });
      }),
    );
  });
}

process.setSourceMapsEnabled(false);
process.on("message", async (message: ToSender) => {
  let next = 0;
  const lane = async () => {
    while (next < message.count) await sendOne(message.port, next++);
  };
  await Promise.all(Array.from({ length: message.concurrency }, lane));
  process.send?.({ type: "sent" } satisfies FromSender);
});
process.send?.({ type: "ready" } satisfies FromSender);
