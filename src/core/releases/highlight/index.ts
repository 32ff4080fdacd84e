/** The release-note highlighter: risks of an item and the reasons for each (see engine.ts). */
import type { Risk } from '../model';
import type { Classifiable, Classifier, Highlight, HighlighterOptions } from './engine';
import { createHighlighter } from './engine';
import { RULES } from './rules';
import type { CompiledUserRules } from './userRules';

export type { Classifiable, Classifier, Highlight, Reason } from './engine';
export type { HighlightRule } from './rules';

/** The built-in vocabulary rules. */
export const DEFAULT_RULES = RULES;

/** The built-in highlighter, with the user's rules when given. */
export function createClassifier(user?: Pick<CompiledUserRules, 'text' | 'heading'>, opts: Omit<HighlighterOptions, 'user'> = {}): Classifier {
  return createHighlighter({ ...opts, user });
}

const builtIn = createHighlighter();

export function classify(item: Classifiable): Risk[] {
  return builtIn.classify(item);
}

export function explainRisks(item: Classifiable): Highlight {
  return builtIn.explain(item);
}
