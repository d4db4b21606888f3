/**
 * SDK clients shared by the processes that would create the same one. A client holds nothing of a
 * conversation (only its settings, and the SDK's global `fetch` holds the connections), and
 * creating one costs as much CPU as a small API call, so `program.start()` per conversation (as a
 * server does it) reuses the client of earlier starts with the same settings, as a hand-written
 * loop keeps one client.
 *
 * @module
 */

/** How many distinct client settings are kept (least recently used dropped first). */
const LIMIT = 32;
/**
 * By the global `fetch` of the time: an SDK client keeps the `fetch` it was created with, so a
 * program started after `globalThis.fetch` was replaced (an interceptor, a test double) gets a
 * client of its own on the new one.
 */
const byFetch = new WeakMap<object, Map<string, unknown>>();

/**
 * The client for `settings` (everything the client is created from: the options given and every
 * environment variable the SDK reads itself), created by `create` the first time. The key stays in
 * memory only: it is never written anywhere. Keyed by the global `fetch` too (see above).
 */
export function sharedClient<T>(settings: readonly unknown[], create: () => T): T {
  const fetchNow = globalThis.fetch as object | undefined;
  if (fetchNow === undefined) return create();
  let clients = byFetch.get(fetchNow);
  if (!clients) byFetch.set(fetchNow, (clients = new Map()));
  // A server starts every conversation with the same settings: the last ones are compared value by
  // value before any key is built (a JSON key and two map updates cost as much as the rest of a start).
  const last = lastUsed.get(clients);
  if (last !== undefined && sameSettings(last.settings, settings)) return last.client as T;
  const key = JSON.stringify(settings);
  let client = clients.get(key) as T | undefined;
  if (client !== undefined) {
    clients.delete(key);
    clients.set(key, client);
  } else {
    client = create();
    clients.set(key, client);
    if (clients.size > LIMIT) clients.delete(clients.keys().next().value!);
  }
  lastUsed.set(clients, { settings, client });
  return client;
}

/** The settings and client of the last {@link sharedClient} call, by client map: the most recently used entry. */
const lastUsed = new WeakMap<Map<string, unknown>, { settings: readonly unknown[]; client: unknown }>();

/**
 * Whether two settings lists hold the same values, nested lists compared the same way. An object
 * (headers) is never taken as the same, even the same object, which may have changed since: its
 * settings go the way of the JSON key.
 */
function sameSettings(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (!sameSettings(x, y)) return false;
    } else if (x !== y || (x !== null && typeof x === 'object')) {
      return false;
    }
  }
  return true;
}

/** The values of the environment variables `names`, in order, for a {@link sharedClient} key. */
export function envValues(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): Array<string | null> {
  return names.map((name) => env[name] ?? null);
}
