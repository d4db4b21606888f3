/**
 * Key paths as users write them in TOML and JSON files, for error messages.
 *
 * @module
 */

/**
 * Formats a key path the way a user would write it: `model.name`, `tools.enabled[1]`,
 * `mcp.tools."my server"`. Keys that are not plain words are quoted.
 */
export function dottedPath(path: readonly (string | number)[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const shown = /^[A-Za-z0-9_$-]+$/.test(key) ? key : JSON.stringify(key);
      return index === 0 ? shown : `.${shown}`;
    })
    .join('');
}

/**
 * The keys of a path written by {@link dottedPath}: `mcp.tools."my server"[1]` →
 * `['mcp', 'tools', 'my server', 1]`.
 */
export function parseKeyPath(keyPath: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const [, quoted, plain, index] of keyPath.matchAll(/\.?(?:("(?:[^"\\]|\\.)*")|([^.[\]"]+))|\[(\d+)\]/g)) {
    if (index !== undefined) keys.push(Number(index));
    else if (quoted !== undefined) keys.push(JSON.parse(quoted) as string);
    else keys.push(plain!);
  }
  return keys;
}
