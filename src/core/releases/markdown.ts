/**
 * markdown-it set up for untrusted release notes.
 *
 * markdown-it stops at its nesting limit (100 levels) by skipping to the end of the enclosing
 * range, and a list item's range is the rest of the document: one list nested 101 deep folded
 * every later item and version into it, and the rendered note lost its text. Here the lines
 * deeper than the limit become one plain paragraph, ended where markdown-it itself would end the
 * block (the first line indented less than it), and parsing goes on after them.
 */
import MarkdownIt from 'markdown-it';
import type { Options, StateBlock } from 'markdown-it';

// markdown-it's default; it keeps the parser's recursion well inside the stack.
const MAX_NESTING = 100;

export function noteMarkdown(options: Options): MarkdownIt {
  const md = new MarkdownIt({ ...options, maxNesting: MAX_NESTING } as Options);
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state: StateBlock, startLine: number, endLine: number) => {
    if (state.level < MAX_NESTING) return tokenize(state, startLine, endLine);
    let line = startLine;
    let last = startLine;
    while (line < endLine && (state.isEmpty(line) || state.sCount[line] >= state.blkIndent)) {
      if (!state.isEmpty(line)) last = line + 1;
      line++;
    }
    if (last > startLine) {
      const open = state.push('paragraph_open', 'p', 1);
      open.map = [startLine, last];
      const inline = state.push('inline', '', 0);
      inline.content = state.getLines(startLine, last, state.blkIndent, false).trim();
      inline.map = [startLine, last];
      inline.children = [];
      state.push('paragraph_close', 'p', -1);
    }
    state.line = line;
  };
  return md;
}
