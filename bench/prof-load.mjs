import autocannon from "autocannon";
const [url, token, secs] = process.argv.slice(2);
let seq = 0;
const body = (id) => JSON.stringify({
    MessageID: id,
    FromFull: { Email: "ana@example.com", Name: "Ana Lima", MailboxHash: "" },
    ToFull: [{ Email: "inbound@example.net", Name: "Inbound", MailboxHash: "" }],
    CcFull: [], ReplyTo: "", Subject: "Fwd: the Q3 proposal for the north-east region",
    Date: "Sat, 1 Mar 2025 12:00:00 +0000",
    TextBody: "Could you follow up with them next week? ".repeat(8),
    HtmlBody: `<p>${"Could you follow up with them next week? ".repeat(8)}</p>`,
    StrippedTextReply: "Could you follow up with them next week?", Attachments: [] });
let bad = 0;
const r = await autocannon({ url, connections: 10, duration: Number(secs), requests: [{ method: "POST", path: "/webhooks/ingress.postmark.forward-email",
  setupRequest: (req) => ({ ...req, body: body(`pm-${Date.now()}-${++seq}`), headers: { "content-type": "application/json", authorization: `Bearer ${token}` } }),
  onResponse: (s) => { if (s !== 202) bad++; } }] });
console.log("rps", r.requests.total / r.duration, "bad", bad, "errors", r.errors);
