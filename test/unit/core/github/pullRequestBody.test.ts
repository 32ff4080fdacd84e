import * as assert from 'node:assert/strict';
import { generatedBody, hidden, mergeBody, splitReviewers, titleSetByPreflight } from '../../../../src/core/github/pullRequestBody';

describe('core/github/pullRequestBody: what people write in a plan pull request is kept', () => {
  it('replaces only the part between the markers, keeping text above and below it', () => {
    const first = generatedBody('Plan v1.\n', 'Upgrade app');
    const edited = `Please read this first.\n\n${first}\n## Notes from the team\n- ship on Friday\n`;
    const merged = mergeBody(edited, generatedBody('Plan v2.\n', 'Upgrade app'));
    assert.equal(merged.replaced, true);
    assert.equal(merged.body, `Please read this first.\n\n${generatedBody('Plan v2.\n', 'Upgrade app')}\n## Notes from the team\n- ship on Friday\n`);
  });

  it('leaves a description without markers as it is, and fills an empty one', () => {
    assert.deepEqual(mergeBody('Written by hand.', generatedBody('x', 't')), { body: 'Written by hand.', replaced: false });
    assert.deepEqual(mergeBody(null, generatedBody('x', 't')), { body: generatedBody('x', 't'), replaced: true });
    assert.deepEqual(mergeBody('  \n', generatedBody('x', 't')), { body: generatedBody('x', 't'), replaced: true });
  });

  it('records the title Preflight set in the marker, in a form that cannot close the comment', () => {
    const title = 'Upgrade --> <script> "app" & co';
    const body = generatedBody('text', title);
    assert.equal(body.indexOf('-->'), body.indexOf(' -->\n') + 1);
    assert.equal(titleSetByPreflight(`intro\n${body}`), title);
    assert.equal(titleSetByPreflight('no marker'), undefined);
    assert.equal(titleSetByPreflight(null), undefined);
    assert.doesNotMatch(hidden('a-->b<c>&'), /[<>&-]/);
  });

  it('splits reviewers into users and teams of the repository owner; other organisations are refused', () => {
    assert.deepEqual(splitReviewers(['alice', '@bob', 'acme/sre', 'ACME/dba', 'other/team', ' ', 'acme/'], 'acme'), { users: ['alice', 'bob'], teams: ['sre', 'dba'], foreign: ['other/team', 'acme/'] });
  });
});
