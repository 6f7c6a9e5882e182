// Per-origin permissions (EIP-2255), kept in extension storage so they
// survive the service worker being stopped. Two capabilities:
//   mynaconnect_authenticate  granted when the person approves a login
//   eth_accounts              granted when the person approves a connect;
//                             it remembers the card account shown, per chain
// An origin with neither is shown as "first seen" on the consent sheet.
//
// Storage: permissions[origin] = {login?: {date}, accounts?: {date, byChain: {"<chainId>": "0x…"}}}.

export const LOGIN = 'mynaconnect_authenticate';
export const ACCOUNTS = 'eth_accounts';
export const CAPABILITIES = [ACCOUNTS, LOGIN];
const KEY = 'permissions';

function dated(v) {
  return typeof v === 'object' && v !== null && Number.isFinite(v.date);
}

// entry reads one origin's permissions, dropping anything damaged.
function entry(all, origin) {
  const v = Object.hasOwn(all, origin) ? all[origin] : null;
  if (typeof v !== 'object' || v === null) return {};
  const out = {};
  if (dated(v.login)) out.login = { date: v.login.date };
  if (dated(v.accounts) && typeof v.accounts.byChain === 'object' && v.accounts.byChain !== null) {
    const byChain = {};
    for (const [chain, addr] of Object.entries(v.accounts.byChain)) {
      if (/^[0-9]{1,15}$/.test(chain) && typeof addr === 'string' && /^0x[0-9a-fA-F]{40}$/.test(addr)) byChain[chain] = addr;
    }
    out.accounts = { date: v.accounts.date, byChain };
  }
  return out;
}

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

  #change(origin, fn) {
    const run = this.#writes.then(async () => {
      const all = await this.#load();
      const e = fn(entry(all, origin));
      if (e.login || e.accounts) all[origin] = e;
      else delete all[origin];
      await this.#area.set({ [KEY]: all });
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  /** Every origin with a capability, oldest grant first: [{origin, date}]. */
  async list() {
    const all = await this.#load();
    return Object.keys(all)
      .map((origin) => {
        const e = entry(all, origin);
        const dates = [e.login?.date, e.accounts?.date].filter(Number.isFinite);
        return { origin, date: Math.min(...dates) };
      })
      .filter((p) => Number.isFinite(p.date))
      .sort((a, b) => a.date - b.date || (a.origin < b.origin ? -1 : 1));
  }

  /** Whether origin has any capability. */
  async has(origin) {
    const e = entry(await this.#load(), origin);
    return Boolean(e.login || e.accounts);
  }

  /** The card accounts origin may see on chainId: [] or ["0x…"]. */
  async accounts(origin, chainId) {
    const e = entry(await this.#load(), origin);
    const addr = e.accounts?.byChain[String(chainId)];
    return addr ? [addr] : [];
  }

  /** wallet_getPermissions' answer for origin. */
  async get(origin) {
    const e = entry(await this.#load(), origin);
    const out = [];
    if (e.accounts) {
      out.push({
        parentCapability: ACCOUNTS, invoker: origin, date: e.accounts.date,
        caveats: [{ type: 'restrictReturnedAccounts', value: [...new Set(Object.values(e.accounts.byChain))] }],
      });
    }
    if (e.login) out.push({ parentCapability: LOGIN, invoker: origin, caveats: [], date: e.login.date });
    return out;
  }

  /** Gives origin the login capability, dated now (ms since the epoch). */
  grant(origin, date = Date.now()) {
    return this.#change(origin, (e) => ({ ...e, login: { date } }));
  }

  /** Gives origin the eth_accounts capability for the account shown on chainId. */
  grantAccount(origin, chainId, address, date = Date.now()) {
    return this.#change(origin, (e) => ({
      ...e, accounts: { date: e.accounts?.date ?? date, byChain: { ...e.accounts?.byChain, [String(chainId)]: address } },
    }));
  }

  /**
   * Takes a capability away, or all of them: without any, the origin is
   * first seen again.
   */
  revoke(origin, capability) {
    return this.#change(origin, (e) => {
      if (capability === LOGIN) return { accounts: e.accounts };
      if (capability === ACCOUNTS) return { login: e.login };
      return {};
    });
  }
}
