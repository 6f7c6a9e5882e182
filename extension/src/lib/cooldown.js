// After a person declines a site's request, the site must wait before it
// can open another consent window: a page that re-opens the window after
// every キャンセル, to wear the person down or to have a click land on 許可,
// gets COOLDOWN meanwhile. The wait doubles with each decline in a row,
// from 2 s up to a minute; an approval ends it. Kept in memory: a service
// worker that sleeps forgets it, which only ever shortens a wait.

const FIRST_MS = 2000;
const MAX_MS = 60000;

export class Cooldown {
  #until = new Map();
  #wait = new Map();

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
    const wait = Math.min((this.#wait.get(origin) ?? FIRST_MS / 2) * 2, MAX_MS);
    this.#wait.set(origin, wait);
    this.#until.set(origin, this.now() + wait);
  }

  /** The person approved a request of origin. */
  approved(origin) {
    this.#wait.delete(origin);
    this.#until.delete(origin);
  }
}
