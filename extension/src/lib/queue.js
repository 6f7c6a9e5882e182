// The consent queue: one request has the consent window, the others wait
// for it in arrival order. A request keeps its place as "active" until its
// window is gone, so the next window never opens on top of a closing one.

export class RequestQueue {
  #limit;
  #active = null;
  #waiting = [];

  /** @param {number} limit how many requests may wait behind the active one */
  constructor(limit) {
    this.#limit = limit;
  }

  /** The request that has the consent window, or null. */
  get active() {
    return this.#active;
  }

  /** How many requests wait behind the active one. */
  get waiting() {
    return this.#waiting.length;
  }

  /** Adds a request; false when the queue is full (QUEUE_FULL). */
  add(request) {
    if (this.#waiting.length >= this.#limit) return false;
    this.#waiting.push(request);
    return true;
  }

  /**
   * Makes the oldest waiting request active and returns it, or returns null
   * when a request is active already or none waits.
   */
  next() {
    if (this.#active !== null || this.#waiting.length === 0) return null;
    this.#active = this.#waiting.shift();
    return this.#active;
  }

  /** Removes a request, active or waiting; true if it was there. */
  remove(request) {
    if (this.#active === request) {
      this.#active = null;
      return true;
    }
    const i = this.#waiting.indexOf(request);
    if (i < 0) return false;
    this.#waiting.splice(i, 1);
    return true;
  }

  /** The waiting requests for which pred is true, removed from the queue. */
  removeWaiting(pred) {
    const removed = this.#waiting.filter(pred);
    this.#waiting = this.#waiting.filter((r) => !pred(r));
    return removed;
  }
}
