import { formatPath } from "@plugboard/plugin-sdk";
import { z } from "zod";

/**
 * One problem at one place: where (`setup_steps[1].cta_label`), what, and a stable code.
 * The shape of the SDK's `ManifestIssue` and of each entry of a problem document's `errors`.
 */
export const IssueSchema = z.strictObject({
  /** The path as an author writes it; empty for the value as a whole. */
  path: z.string(),
  message: z.string().min(1),
  code: z.string().min(1),
});
export type Issue = z.infer<typeof IssueSchema>;

/** An issue in a set of manifests: the SDK's `RegistryProblem`, naming the manifest. */
export const RegistryProblemSchema = z.strictObject({
  /** The manifest's id, or `#<index>` when the input has no usable id. */
  manifestId: z.string().min(1),
  ...IssueSchema.shape,
});
export type RegistryProblemItem = z.infer<typeof RegistryProblemSchema>;

/**
 * Turns zod's issues into issues with readable paths, one per unknown key so each lands on
 * its own field. Paths are spelled as the parsed input spells them (wire paths for wire input).
 */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown field "${key}"`,
        code: "unrecognized_key",
      }));
    }
    return [{ path: formatPath(issue.path), message: issue.message, code: issue.code }];
  });
}
