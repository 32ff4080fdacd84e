/**
 * The user's own highlighter rules, from the `preflight.releaseNotes.rules` setting:
 * `{ "pattern": "maintenance window", "risk": "db_lock_or_downtime", "flags": "i", "unless": "...",
 * "scope": "text" | "heading" }`. Invalid entries are reported, never thrown.
 */
import type { Problem, Risk } from '../model';
import { isRisk, RISKS } from '../model';
import type { HighlightRule } from './rules';

export type RuleScope = 'text' | 'heading';

export interface UserRuleConfig {
  pattern: string;
  risk: string;
  flags?: string;
  /** A pattern that vetoes the rule when it also matches. */
  unless?: string;
  scope?: RuleScope;
}

/** A rule matched against each heading above an item. */
export interface HeadingRule {
  id: string;
  risk: Risk;
  why: string;
  pattern: RegExp;
  unless?: RegExp;
}

export interface CompiledUserRules {
  text: HighlightRule[];
  heading: HeadingRule[];
  problems: Problem[];
}

export function compileUserRules(config: readonly UserRuleConfig[]): CompiledUserRules {
  const out: CompiledUserRules = { text: [], heading: [], problems: [] };
  config.forEach((entry, i) => {
    const where = `release-note rule ${i + 1}`;
    if (!entry || typeof entry.pattern !== 'string' || entry.pattern === '') {
      out.problems.push({ message: `${where}: "pattern" must be a non-empty string` });
      return;
    }
    if (typeof entry.risk !== 'string' || !isRisk(entry.risk)) {
      out.problems.push({ message: `${where}: unknown risk "${String(entry.risk)}" (expected one of ${RISKS.join(', ')})` });
      return;
    }
    if (entry.scope !== undefined && entry.scope !== 'text' && entry.scope !== 'heading') {
      out.problems.push({ message: `${where}: scope must be "text" or "heading"` });
      return;
    }
    // Stateful flags would make .test() depend on the previous item.
    const flags = (entry.flags ?? 'i').replace(/[gy]/g, '');
    try {
      const pattern = new RegExp(entry.pattern, flags);
      const unless = entry.unless ? new RegExp(entry.unless, flags) : undefined;
      const id = `user-${i + 1}`;
      const why = `your rule ${i + 1} (/${entry.pattern}/)`;
      if (entry.scope === 'heading') out.heading.push({ id, risk: entry.risk, why, pattern, unless });
      else out.text.push({ id, risk: entry.risk, why, pattern, unless, cased: true });
    } catch (err) {
      out.problems.push({ message: `${where}: invalid regular expression: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  return out;
}
