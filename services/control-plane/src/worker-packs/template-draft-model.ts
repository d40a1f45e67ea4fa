import type { DraftModel, DraftRequest } from "./draft-model.js";

/** A template per task; `{name}` is replaced by the fact of that name. */
const TEMPLATES: Readonly<Record<string, string>> = {
  follow_up_email: [
    "Hi {recipient_first_name},",
    "",
    "Thank you for your message about {topic}.{quoted_line}",
    "",
    "I would like to agree on the next step with you: could you let me know a time this week that suits you?",
    "",
    "Best regards,",
    "{sender_name}",
  ].join("\n"),
};

/** Thrown when a template names a fact the request does not give. */
export class DraftTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DraftTemplateError";
  }
}

function fill(template: string, request: DraftRequest): string {
  return template.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    if (!Object.hasOwn(request.facts, name)) {
      throw new DraftTemplateError(`task ${request.task} needs the fact "${name}"`);
    }
    return request.facts[name] ?? "";
  });
}

/**
 * The default model: fills a fixed template per task with the request's facts, so the same
 * request always gives the same text. It states nothing the facts do not contain.
 */
export function createTemplateDraftModel(): DraftModel {
  return {
    name: "template",
    async draft(request) {
      const template = TEMPLATES[request.task];
      if (template === undefined) {
        throw new DraftTemplateError(`the template model has no template for task ${request.task}`);
      }
      return fill(template, request);
    },
  };
}
