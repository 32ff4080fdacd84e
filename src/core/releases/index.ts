/** Release-note review core: parse changelogs, highlight risky items, assemble a version-range review. */
export * from './model';
export * from './ports';
export { parseNotes, detectFormat, type ParseOptions } from './changelog';
export { classify, createClassifier, compileUserRules, DEFAULT_RULES, type Rule, type RuleScope, type Classifier, type Classifiable, type UserRuleConfig } from './classify';
export { discoverNoteFiles, type NoteFile, type NoteFileKind } from './discovery';
export { reviewEngines, type EngineChange } from './engines';
export { analyzeReview, buildReview, readReviewInput, summarize, type AnalysisOptions, type Review, type ReviewInput, type ReviewItem, type ReviewVersion, type ReviewOptions } from './review';
export { MAX_NOTE_CHARS, MAX_REVIEW_CHARS } from './limits';
export { renderNoteHtml } from './render';
export { itemLocation, opensByDefault, reviewMarkdown, reviewView, viewItems, RISK_LABELS, type ReviewView, type ViewItem, type ViewVersion } from './view';
export { findVersionPins, type VersionPin } from './pins';
export { createFileSource, noteVersions, type FileSourceOptions } from './sources/file';
export { createGitSource, type GitSourceOptions } from './sources/git';
export { createGitHubSource, listAllReleases, listAllTags, parseRepoSpec, type GitHubSourceOptions, type ListReleasesOptions } from './sources/github';
export { createNpmSource, githubRepo, NPM_REGISTRY_URL, type NpmSourceOptions } from './sources/npm';
export { SourceRegistry, type SourceContext, type SourceFactory } from './sources/registry';
export { decodeText } from './sources/decode';
export * from './version';
