/**
 * Where a case's transcript lives, relative to the reports directory. The transcript reporter writes there and
 * every other report (JUnit, results.json, console) points there, without the result carrying the path: results
 * are immutable, so the convention is the only link between them.
 */
export function transcriptPathFor(caseId: string): string {
  return `cases/${fileSafeCaseId(caseId)}.json`;
}

/**
 * Case ids are meant to be [a-z0-9.-] already; anything else (a slash, a leading dot) is replaced so that a
 * malformed id can never write outside the cases directory or hide its file.
 */
function fileSafeCaseId(caseId: string): string {
  const safe = caseId.replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return safe.length > 0 ? safe : '_';
}
