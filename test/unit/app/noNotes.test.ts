import * as assert from 'node:assert/strict';
import { CLI_WORDING, explainNoNotes, otherSources, reviewErrorText } from '../../../src/app/noNotes';

describe('no release notes found: why and what next', () => {
  it('names the files that were read when none has a version heading', () => {
    const text = reviewErrorText(
      { code: 'no-notes', message: 'no version sections found', noNotes: { kind: 'no-versions', source: 'github:acme/app', scheme: 'github', searched: {}, files: ['CHANGELOG.md', 'docs/NEWS.md'] } },
      CLI_WORDING,
    );
    assert.equal(
      text,
      'no version sections found: CHANGELOG.md, docs/NEWS.md were read, but none has a heading that names a version (such as "## 2.4.0" or "v2.4.0 (2024-05-01)"). ' +
        'If the notes are in other files, name them in --files docs/whats-new.md; or try another source: gitlab:GROUP/PROJECT, npm:PACKAGE, git:PATH (a local clone), file:PATH (a changelog file).',
    );
  });

  it('points at the package a repository of several does release', () => {
    const { why, next } = explainNoNotes({ kind: 'other-packages', source: 'github:acme/mono#c', scheme: 'github', searched: {}, packages: ['a', 'b'], package: 'c' }, CLI_WORDING);
    assert.equal(why, 'their headings name only other packages: a, b');
    assert.deepEqual(next, ['review one of them with github:acme/mono#a']);
  });

  it('asks a file source for the right path and offers the other types', () => {
    const { next } = explainNoNotes({ kind: 'no-documents', source: 'file:NOTES.txt', scheme: 'file', searched: {} }, { files: () => 'unused', imageSources: 'unused' });
    assert.deepEqual(next, ['name the files that hold the notes: file:PATH[,PATH...]', 'or try another source: github:OWNER/REPO (GitHub releases and changelogs), gitlab:GROUP/PROJECT, npm:PACKAGE, git:PATH (a local clone)']);
    assert.ok(!otherSources('npm').includes('npm:'));
  });

  it('words other failures as they are', () => {
    assert.equal(reviewErrorText({ code: 'network', message: 'cannot reach api.github.com' }, CLI_WORDING), 'cannot reach api.github.com');
  });

  it('tells an image source where the image can be mapped to its notes, and the other sources', () => {
    const offline = reviewErrorText({ code: 'network', message: 'cannot reach ghcr.io: getaddrinfo ENOTFOUND ghcr.io' }, CLI_WORDING, 'image:ghcr.io/acme/app:1.0');
    assert.equal(
      offline,
      'cannot reach ghcr.io: getaddrinfo ENOTFOUND ghcr.io. Map the image to its notes in preflight.releaseNotes.imageSources (.vscode/settings.json) ({"IMAGE": "github:OWNER/REPO"}), or review another source: github:OWNER/REPO (GitHub releases and changelogs), gitlab:GROUP/PROJECT, npm:PACKAGE, git:PATH (a local clone), file:PATH (a changelog file).',
    );
    // The same failure of any other source is said as it is.
    assert.equal(reviewErrorText({ code: 'network', message: 'cannot reach ghcr.io.' }, CLI_WORDING, 'github:acme/app'), 'cannot reach ghcr.io.');
    const noNotes = reviewErrorText(
      { code: 'no-notes', message: 'no release notes', noNotes: { kind: 'no-documents', source: 'github:acme/app', scheme: 'github', searched: {} } },
      CLI_WORDING,
      ' IMAGE:acme/app:1.0',
    );
    assert.match(noNotes, /^no release notes: no release-note file .* Map the image to its notes in preflight\.releaseNotes\.imageSources/);
    assert.doesNotMatch(noNotes, /\.\. /);
  });
});
