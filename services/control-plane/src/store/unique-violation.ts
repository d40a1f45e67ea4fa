/**
 * Whether a database error is a primary-key or unique-constraint violation, on either
 * dialect: better-sqlite3 reports `SQLITE_CONSTRAINT_PRIMARYKEY` / `_UNIQUE`, pg reports
 * SQLSTATE 23505. Used where the loser of a race on an insert must answer 409.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const { code } = error;
  return (
    code === "23505" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
    code === "SQLITE_CONSTRAINT_UNIQUE"
  );
}
