/**
 * Release notes are untrusted input (anyone can open a pull request that lands in a changelog).
 * Rendering keeps raw HTML as text, allows only http(s) and mailto links and images, and opens
 * links without giving the target page a handle on the opener.
 */
import { noteMarkdown } from './markdown';

const SAFE_URL = /^(?:https?:|mailto:)/i;

const md = noteMarkdown({ html: false, linkify: true });
// Whitespace and control characters inside a scheme ("java\tscript:") are ignored by browsers.
md.validateLink = (url) => SAFE_URL.test(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''));

const renderToken = md.renderer.renderToken.bind(md.renderer);
md.renderer.rules.link_open = (tokens, idx, options) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return renderToken(tokens, idx, options);
};

export function renderNoteHtml(markdown: string): string {
  return md.render(markdown);
}
