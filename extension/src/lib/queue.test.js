import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestQueue } from './queue.js';

test('one request is active at a time, the others wait in order', () => {
  const q = new RequestQueue(8);
  assert.ok(q.add('a') && q.add('b') && q.add('c'));
  assert.equal(q.next(), 'a');
  assert.equal(q.next(), null, 'a second active request while a is active');
  assert.equal(q.waiting, 2);
  assert.ok(q.remove('a'));
  assert.equal(q.next(), 'b');
  assert.equal(q.active, 'b');
  assert.equal(q.waiting, 1);
});

test('a full queue refuses more requests; the active one does not count', () => {
  const q = new RequestQueue(2);
  q.add(1);
  q.next();
  assert.ok(q.add(2) && q.add(3));
  assert.equal(q.add(4), false);
  q.remove(2);
  assert.ok(q.add(4));
});

test('waiting requests of a closed page are dropped; others keep their order', () => {
  const q = new RequestQueue(8);
  for (const r of [{ p: 1 }, { p: 2 }, { p: 1 }, { p: 3 }]) q.add(r);
  q.next();
  const gone = q.removeWaiting((r) => r.p === 1);
  assert.deepEqual(gone, [{ p: 1 }]);
  assert.equal(q.active.p, 1, 'the active request is not removed by removeWaiting');
  q.remove(q.active);
  assert.deepEqual([q.next(), (q.remove(q.active), q.next())].map((r) => r.p), [2, 3]);
  assert.equal(q.remove({}), false);
});
