/** Dates in release notes and tags, as YYYY-MM-DD. */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const ISO = String.raw`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`;
const MDY = String.raw`\b${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`;
const DMY = String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH},?\s+(\d{4})\b`;
// `18.10.2023` (day first), `04-23-2015` and `04/23/2015` (month first unless the first is over 12).
const NUMERIC = String.raw`\b(\d{1,2})(?<sep>[-/.])(\d{1,2})\k<sep>(\d{4})\b`;
// `date`'s own format: `Mon Jul 10 12:00:00 IDT 2023` (the weekday is not part of it).
const UNIX = String.raw`\b${MONTH}\s+(\d{1,2})\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+[a-z]{2,5})?\s+(\d{4})\b`;
const DATE_RE = new RegExp(`${ISO}|${MDY}|${DMY}|${NUMERIC}|${UNIX}`, 'i');
/** Every date in a text (for removing them). */
export const DATE_RE_GLOBAL = new RegExp(`${ISO}|${MDY}|${DMY}|${NUMERIC}|${UNIX}`, 'gi');

/** The first date in the text as YYYY-MM-DD (ISO, `January 22, 2020`, `22 Jan 2020`), or null. */
export function extractDate(text: string): string | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  let y: number;
  let mo: number;
  let d: number;
  if (m[1]) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (m[4]) [y, mo, d] = [Number(m[6]), monthIndex(m[4]), Number(m[5])];
  else if (m[7]) [y, mo, d] = [Number(m[9]), monthIndex(m[8]), Number(m[7])];
  else if (m[14]) [y, mo, d] = [Number(m[16]), monthIndex(m[14]), Number(m[15])];
  else {
    const [a, b] = [Number(m[10]), Number(m[12])];
    const dayFirst = m[11] === '.' ? b <= 12 : a > 12;
    [y, mo, d] = [Number(m[13]), dayFirst ? b : a, dayFirst ? a : b];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970 || y > 2200) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** Git and tools give ISO timestamps; keep the date part. */
export function isoDay(value: string | undefined | null): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : extractDate(value);
}
