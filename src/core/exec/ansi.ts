// CSI sequences (colours, cursor moves), OSC sequences (titles, shell-integration marks, ended by
// BEL or ST) and lone two-character escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Terminal output as plain text for the run log: escape sequences removed, CRLF and lone CR folded. */
export function plainOutput(raw: string): string {
  return raw.replace(ANSI, '').replace(/\r+\n/g, '\n').replace(/^.*\r(?!$)/gm, '');
}
