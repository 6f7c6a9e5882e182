// Per-origin permissions (EIP-2255), kept in extension storage so they
// survive the service worker being stopped. An origin gets the
// mynaconnect_authenticate capability when the person approves a login on
// it; an origin without it is shown as "first seen" on the consent sheet.

export const CAPABILITY = 'mynaconnect_authenticate';
const KEY = 'permissions';

export class PermissionStore {
  #area;
  // Writes are chained so that two changes never read the same old value.
  #writes = Promise.resolve();

  /**
   * @param {{get(key: string): Promise<object>, set(items: object): Promise<void>}} area
   *   chrome.storage.local, or anything with its promise API
   */
  constructor(area) {
    this.#area = area;
  }

  async #load() {
    const items = await this.#area.get(KEY);
    const stored = items?.[KEY];
    return typeof stored === 'object' && stored !== null ? stored : {};
  }

  #change(fn) {
    const run = this.#writes.then(async () => {
      const all = await this.#load();
      fn(all);
      await this.#area.set({ [KEY]: all });
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  /** Every origin with the capability, oldest grant first: [{origin, date}]. */
  async list() {
    const all = await this.#load();
    return Object.entries(all)
      .filter(([, v]) => Number.isFinite(v?.date))
      .map(([origin, v]) => ({ origin, date: v.date }))
      .sort((a, b) => a.date - b.date || (a.origin < b.origin ? -1 : 1));
  }

  /** Whether origin has the capability. */
  async has(origin) {
    const all = await this.#load();
    return Object.hasOwn(all, origin) && Number.isFinite(all[origin]?.date);
  }

  /** wallet_getPermissions' answer for origin. */
  async get(origin) {
    const all = await this.#load();
    const p = Object.hasOwn(all, origin) ? all[origin] : null;
    if (!Number.isFinite(p?.date)) return [];
    return [{ parentCapability: CAPABILITY, invoker: origin, caveats: [], date: p.date }];
  }

  /** Gives origin the capability, dated now (ms since the epoch). */
  grant(origin, date = Date.now()) {
    return this.#change((all) => {
      all[origin] = { date };
    });
  }

  /** Takes the capability away: origin is first seen again. */
  revoke(origin) {
    return this.#change((all) => {
      delete all[origin];
    });
  }
}
