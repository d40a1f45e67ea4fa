/**
 * First-party values of the open vocabularies. Third parties extend these vocabularies with
 * their own snake_case values; what keeps references safe is `checkRegistry`, not a closed
 * enum. Each constant is the one place its values are written.
 */

export const CONNECTION_PROVIDERS = {
  gmail: "gmail",
  smtpRelay: "smtp_relay",
  drive: "drive",
  calendar: "calendar",
  notion: "notion",
  postmark: "postmark",
} as const;

export const INPUT_ROUTE_KINDS = {
  chat: "chat",
  upload: "upload",
  forwardEmail: "forward_email",
  watchedInbox: "watched_inbox",
} as const;

export const ACTION_KINDS = {
  sendEmail: "send_email",
  saveWork: "save_work",
} as const;

export const WORK_ITEM_KINDS = {
  emailDraft: "email_draft",
  meetingRecap: "meeting_recap",
  proposalDraft: "proposal_draft",
  actionPlan: "action_plan",
} as const;

export const WORKER_KINDS = {
  followUp: "follow_up",
  proposal: "proposal",
} as const;

export const CHANNEL_TYPES = {
  sms: "sms",
  voice: "voice",
  video: "video",
  email: "email",
  whatsapp: "whatsapp",
  fax: "fax",
} as const;

export const CHANNEL_OPERATIONS = {
  sendMessage: "send_message",
  sendFax: "send_fax",
  getStatus: "get_status",
  placeCall: "place_call",
  receive: "receive",
} as const;
