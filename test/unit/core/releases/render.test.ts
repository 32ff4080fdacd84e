import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderNoteHtml } from '../../../../src/core/releases';
import { ROOT as REPO_ROOT } from '../../../support/fixtures';

const ROOT = REPO_ROOT;

describe('release-note rendering', () => {
  it('renders hostile notes without scripts, event handlers or javascript: links', () => {
    const html = renderNoteHtml(readFileSync(path.join(ROOT, 'test/fixtures/releases/hostile.md'), 'utf8'));
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<iframe/i);
    assert.doesNotMatch(html, /<img[^>]*onerror/i);
    assert.doesNotMatch(html, /<[a-z][^>]*\son\w+\s*=/i);
    assert.doesNotMatch(html, /href\s*=\s*["']?\s*(?:javascript|data|vbscript):/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Fix the installer/);
  });

  it('keeps http(s) and mailto links, linkifies bare URLs and opens them without an opener', () => {
    const html = renderNoteHtml('[ok](https://example.com/release), <https://example.com/auto>, www.example.com, [mail](mailto:ops@example.com)');
    assert.match(html, /<a href="https:\/\/example\.com\/release" rel="noopener noreferrer">ok<\/a>/);
    assert.match(html, /<a href="https:\/\/example\.com\/auto" rel="noopener noreferrer">/);
    assert.match(html, /<a href="http:\/\/www\.example\.com" rel="noopener noreferrer">www\.example\.com<\/a>/);
    assert.match(html, /<a href="mailto:ops@example\.com" rel="noopener noreferrer">mail<\/a>/);
  });

  it('drops links with other schemes, including obfuscated ones and relative paths', () => {
    for (const md of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](java\tscript:alert(1))', '[x](file:///etc/passwd)', '[x](/relative)', '![i](data:image/png;base64,AAAA)']) {
      const html = renderNoteHtml(md);
      assert.doesNotMatch(html, /<a |<img /, md);
    }
  });
});
