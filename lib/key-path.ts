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
      const shown = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      return index === 0 ? shown : `.${shown}`;
    })
    .join('');
}
