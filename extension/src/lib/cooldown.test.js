import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cooldown } from './cooldown.js';

test('the second decline in a row makes the site wait, doubling up to a minute; an approval ends it', () => {
  let now = 1000;
  const c = new Cooldown(() => now);
  const site = 'https://a.example';
  assert.equal(c.remaining(site), 0);
  const waits = [];
  for (let i = 0; i < 8; i++) {
    c.declined(site);
    waits.push(c.remaining(site));
  }
  assert.deepEqual(waits, [0, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  now += 59999;
  assert.equal(c.remaining(site), 1);
  now += 1;
  assert.equal(c.remaining(site), 0);
  assert.equal(c.remaining('https://b.example'), 0, 'another site is not held back');
  c.approved(site);
  c.declined(site);
  assert.equal(c.remaining(site), 0, 'after an approval one decline is free again');
  c.declined(site);
  assert.equal(c.remaining(site), 2000);
});
