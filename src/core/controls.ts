/**
 * Upstream text on a terminal. Release notes, tags, file names and the messages built from them
 * come from the internet and can carry control sequences: set the window title, clear the screen,
 * write the clipboard (OSC 52), move the cursor over earlier output, or reorder what a line shows
 * (bidi overrides). Everything the CLI prints for people goes through terminalText; JSON output
 * through terminalJson.
 */

// Escape sequences, in their 7-bit (ESC ...) and 8-bit (C1) forms:
// - strings: OSC, DCS, SOS, PM, APC up to BEL or ST; an unterminated one ends at the line's end;
// - CSI: parameters, intermediates, final byte (a cut-off one is removed as far as it goes);
// - other escapes: ESC, intermediates, final byte.
// Each part's character classes are disjoint from the next one's, so matching is linear.
const SEQUENCE =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b[ -/]*[0-~]?/g;
// What is left: C0 controls but tab and newline, DEL, C1, and the bidi embedding, override,
// isolate and mark characters.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface TerminalTextOptions {
  /** Tabs and newlines become spaces too: for error and warning lines. */
  oneLine?: boolean;
}

/** The text with every control sequence and control character removed (tab and newline kept). */
export function terminalText(text: string, opts: TerminalTextOptions = {}): string {
  const plain = text.replace(SEQUENCE, '').replace(CONTROL, '');
  return opts.oneLine ? plain.replace(/[\t\n]/g, ' ') : plain;
}

// JSON.stringify escapes C0 controls but writes DEL, C1, bidi controls and the line separators
// as they are; \u escapes keep the data identical for a JSON reader and inert on a terminal.
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/** JSON.stringify, with every character a terminal could act on written as a \u escape. */
export function terminalJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
