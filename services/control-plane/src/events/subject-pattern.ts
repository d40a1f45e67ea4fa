import { PERMISSION_PATTERN, subjectCovers } from "@plugboard/plugin-sdk";

/** Thrown when a subscription pattern is not a subject pattern. */
export class SubjectPatternError extends Error {
  constructor(pattern: string) {
    super(
      `"${pattern}" is not a subject pattern: expected dot-separated tokens of letters, digits, _ and -, where * matches one token and a final > one or more`,
    );
    this.name = "SubjectPatternError";
  }
}

/**
 * The subject grammar is the one `event:subscribe:<pattern>` permissions use, so a pattern a
 * plugin is granted and a pattern the bus accepts are the same strings.
 */
export function assertSubjectPattern(pattern: string): void {
  if (!PERMISSION_PATTERN.test(`event:subscribe:${pattern}`)) {
    throw new SubjectPatternError(pattern);
  }
}

/** True when `pattern` matches the concrete subject `subject` (`route.*` matches `route.chat`). */
export function subjectMatches(pattern: string, subject: string): boolean {
  return subjectCovers(pattern, subject);
}
