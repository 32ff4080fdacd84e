import * as assert from 'node:assert/strict';
import { engineFloors, floorsIn } from '../../../../src/core/plan';
import { buildReview, createFileSource, summarize, type Review, type ReviewItem, type Risk } from '../../../../src/core/releases';
import { readLocalFile } from '../../../../src/adapters/localFiles';
import { sharedFixture } from '../../../support/fixtures';

const item = (text: string, risks: Risk[] = ['requirement']): ReviewItem => ({ text, file: 'CHANGELOG.md', line: 7, endLine: 7, risks, heading: [] });

function review(items: ReviewItem[], engines: Review['engines'] = []): Review {
  const versions = [{ version: '4.0.0', date: null, items }];
  return { source: 'file:CHANGELOG.md', from: '3.0.0', to: '4.0.0', versions, summary: summarize(versions), engines, problems: [] };
}

async function realReview(dir: string, file: string, from: string, to: string): Promise<Review> {
  const source = createFileSource(file, { read: readLocalFile, cwd: dir });
  assert.ok(source.ok);
  const result = await buildReview(source.value, from, to);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

describe('engine floors', () => {
  it('reads the floor a release note states, in the ways notes state it', () => {
    const cases: [string, { engine: string; min: string; shown: string }[]][] = [
      ['Requires PHP 7.4.3 or later', [{ engine: 'php', min: '7.4.3', shown: '7.4.3 or later' }]],
      ['PostgreSQL 11 is no longer supported', [{ engine: 'postgresql', min: '12', shown: 'newer than 11' }]],
      ['Drop support for node < 14', [{ engine: 'node', min: '14', shown: '14 or later' }]],
      ['Remove support of MongoDB 3.2 and deprecate MongoDB 3.4', [{ engine: 'mongodb', min: '3.3', shown: 'newer than 3.2' }]],
      ['The minimum required Python version is 3.12.', [{ engine: 'python', min: '3.12', shown: '3.12 or later' }]],
      ['Dropped support for MySQL 5.6 and 5.7', [{ engine: 'mysql', min: '5.8', shown: 'newer than 5.7' }]],
      ['Redis 6.2+ is now required', [{ engine: 'redis', min: '6.2', shown: '6.2 or later' }]],
    ];
    for (const [text, expected] of cases) assert.deepEqual(floorsIn(text), expected, text);
  });

  it('takes no floor from a note that only names an engine', () => {
    for (const text of ['Fix a crash on MongoDB 4.0 with oplog', 'Update to MongoDB 4.0 in docker-compose file', 'Test with Python 3.13', 'redis-rb 5 support'])
      assert.deepEqual(floorsIn(text), [], text);
  });

  it('keeps the highest floor per engine and names every source', () => {
    const floors = engineFloors(review([item('Requires Node.js 14 or later'), item('Node.js 16 or later is required')]));
    assert.deepEqual(floors, [{ engine: 'node', min: '16', shown: '16 or later', sources: ['4.0.0 (CHANGELOG.md:7)'] }]);
  });

  it('reads only items flagged for a requirement', () => {
    assert.deepEqual(engineFloors(review([item('Requires PHP 8.1 or later', ['breaking'])])), []);
  });

  it('turns an engine list that lost its oldest entry into a floor, and one that only grew into none', () => {
    const dropped = engineFloors(review([], [{ name: 'MongoDB', from: '3.2, 3.4, 3.6, 4.0', to: '3.4, 3.6, 4.0' }]));
    assert.deepEqual(dropped.map((f) => [f.engine, f.min, f.shown]), [['mongodb', '3.4', '3.4 or later']]);
    assert.deepEqual(engineFloors(review([], [{ name: 'MongoDB', from: '3.4, 3.6', to: '3.4, 3.6, 4.0' }])), []);
  });

  it('Rocket.Chat 1.3.3 → 2.1.0: MongoDB 3.4 or later, from the engine list and the removal of 3.2', async () => {
    const r = await realReview(sharedFixture('rocketchat'), 'HISTORY.md', '1.3.3', '2.1.0');
    const mongo = engineFloors(r).find((f) => f.engine === 'mongodb');
    assert.ok(mongo, JSON.stringify(engineFloors(r)));
    assert.equal(mongo.min, '3.4');
  });

  it('healthchecks 3.13 → 4.0: Python 3.12 or later', async () => {
    const r = await realReview(sharedFixture('healthchecks'), 'CHANGELOG.md', '3.13', '4.0');
    assert.deepEqual(engineFloors(r).map((f) => [f.engine, f.min]), [['python', '3.12']]);
  });
});
