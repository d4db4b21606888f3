/**
 * The one place where key case is mapped. A table of settings is written once, with camelCase
 * keys (the spelling of code); {@link tomlTable} gives the same table as a TOML (or YAML) program
 * spells it, snake_case, and renames the keys back as it parses, so both spellings give the same
 * camelCase value, of the same type (`v.InferOutput`).
 *
 * ```ts
 * const Log = { file: PathSchema };
 * table(Log);     // { file } in code
 * tomlTable(Log); // [log] file = "..." in TOML; also camelCase once parsed
 * ```
 *
 * @module
 */
import * as v from 'valibot';
import type { IssueDialect } from './format-issues.js';
import { table } from './schema-fields.js';

/** `maxTokens` → `max_tokens`: how a TOML program spells a key. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** What a {@link tomlTable} of `TEntries` parses to: the code spelling's value. */
export type TomlTable<TEntries extends v.ObjectEntries> = v.GenericSchema<unknown, v.InferOutput<ReturnType<typeof table<TEntries>>>>;

/**
 * `table(entries)` with snake_case keys (unknown keys refused, as `table` does), whose output has
 * the camelCase keys of `entries`. Nested tables inside `entries` map their own keys.
 */
export function tomlTable<const TEntries extends v.ObjectEntries>(entries: TEntries): TomlTable<TEntries> {
  const camelOf = new Map(Object.keys(entries).map((key) => [snakeCase(key), key]));
  const spelled = Object.fromEntries(Object.entries(entries).map(([key, schema]) => [snakeCase(key), schema])) as v.ObjectEntries;
  return v.pipe(
    table(spelled),
    v.transform((value) => Object.fromEntries(Object.entries(value).map(([key, item]) => [camelOf.get(key) ?? key, item]))),
  ) as unknown as TomlTable<TEntries>;
}

/** The table of `entries` as `dialect` spells it: {@link tomlTable} for TOML, `table` for code. */
export function tableIn<const D extends IssueDialect, const TEntries extends v.ObjectEntries>(
  dialect: D,
  entries: TEntries,
): D extends 'toml' ? TomlTable<TEntries> : ReturnType<typeof table<TEntries>> {
  return (dialect === 'toml' ? tomlTable(entries) : table(entries)) as D extends 'toml' ? TomlTable<TEntries> : ReturnType<typeof table<TEntries>>;
}
