/**
 * Globs on tool names, as `[tools] require_approval = ["read_file", "codemcp__*"]` writes them:
 * `*` stands for any run of characters (also none), `?` for exactly one; everything else is
 * itself. A glob matches the whole name.
 *
 * @module
 */

/** Whether `name` matches `glob` (`*` any run of characters, `?` one character, whole name). */
export function matchesToolGlob(glob: string, name: string): boolean {
  return globToRegExp(glob).test(name);
}

/** Whether `name` matches any of `globs`. */
export function matchesAnyToolGlob(globs: readonly string[], name: string): boolean {
  return globs.some((glob) => matchesToolGlob(glob, name));
}

const compiled = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let regExp = compiled.get(glob);
  if (!regExp) {
    const body = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
    regExp = new RegExp(`^${body}$`, 's');
    compiled.set(glob, regExp);
  }
  return regExp;
}
