/**
 * The part of a pull request's description Preflight writes, between two hidden markers, so an
 * update replaces that part only and keeps what people wrote around it. The opening marker also
 * records the title Preflight gave the pull request: a title that no longer matches it was changed
 * by a person, and is left alone.
 */

const BEGIN = /<!-- preflight:begin(?: title=("(?:[^"\\]|\\.)*"))? -->/;
const END = '<!-- preflight:end -->';

/** JSON text that cannot end the HTML comment it sits in, for a value inside a hidden marker. */
export function hidden(value: string): string {
  return JSON.stringify(value).replace(/[<>&-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The generated part of a description: `text` between the markers, with the title Preflight set. */
export function generatedBody(text: string, title: string): string {
  return `<!-- preflight:begin title=${hidden(title)} -->\n${text.replace(/\n+$/, '')}\n${END}\n`;
}

/** Where the generated part of `body` is, and the title its marker records. */
function findGenerated(body: string): { start: number; end: number; title?: string } | undefined {
  const begin = BEGIN.exec(body);
  if (!begin) return undefined;
  const close = body.indexOf(END, begin.index + begin[0].length);
  if (close < 0) return undefined;
  let title: string | undefined;
  try {
    title = begin[1] === undefined ? undefined : (JSON.parse(begin[1]) as string);
  } catch {
    title = undefined;
  }
  let end = close + END.length;
  if (body[end] === '\n') end++;
  return { start: begin.index, end, title };
}

/** The title Preflight last set, as the description's marker records it. */
export function titleSetByPreflight(body: string | null): string | undefined {
  return body ? findGenerated(body)?.title : undefined;
}

export interface MergedBody {
  body: string;
  /** False when the description has no markers, so nothing of it was replaced. */
  replaced: boolean;
}

/**
 * The description with its generated part replaced by `generated` (from generatedBody). An empty
 * description becomes the generated part; one without markers is kept as people wrote it.
 */
export function mergeBody(current: string | null, generated: string): MergedBody {
  if (!current?.trim()) return { body: generated, replaced: true };
  const at = findGenerated(current);
  if (!at) return { body: current, replaced: false };
  return { body: current.slice(0, at.start) + generated + current.slice(at.end), replaced: true };
}

/** Reviewers as GitHub takes them: logins, and `org/team` as the slug of a team of the repository's owner. */
export function splitReviewers(reviewers: readonly string[], owner: string): { users: string[]; teams: string[]; foreign: string[] } {
  const out = { users: [] as string[], teams: [] as string[], foreign: [] as string[] };
  for (const raw of reviewers) {
    const r = raw.trim().replace(/^@/, '');
    if (!r) continue;
    const slash = r.indexOf('/');
    if (slash < 0) out.users.push(r);
    else if (r.slice(0, slash).toLowerCase() === owner.toLowerCase() && r.slice(slash + 1)) out.teams.push(r.slice(slash + 1));
    else out.foreign.push(r);
  }
  return out;
}
