// After a person declines a site's requests, the site must wait before it
// can open another consent window: a page that re-opens the window after
// every キャンセル, to wear the person down or to have a click land on 許可,
// gets COOLDOWN meanwhile. One decline costs nothing (a person may cancel
// and mean to try again); from the second in a row the site waits 2 s,
// doubling up to a minute; an approval ends it. Kept in memory: a service
// worker that sleeps forgets it, which only ever shortens a wait.

const FIRST_MS = 2000;
const MAX_MS = 60000;

export class Cooldown {
  #until = new Map();
  #declines = new Map();

  /** @param {() => number} now */
  constructor(now = Date.now) {
    this.now = now;
  }

  /** Milliseconds origin must still wait; 0 when it may ask. */
  remaining(origin) {
    return Math.max(0, (this.#until.get(origin) ?? 0) - this.now());
  }

  /** The person cancelled or closed origin's window. */
  declined(origin) {
    const n = (this.#declines.get(origin) ?? 0) + 1;
    this.#declines.set(origin, n);
    if (n > 1) this.#until.set(origin, this.now() + Math.min(FIRST_MS * 2 ** (n - 2), MAX_MS));
  }

  /** The person approved a request of origin. */
  approved(origin) {
    this.#declines.delete(origin);
    this.#until.delete(origin);
  }
}
