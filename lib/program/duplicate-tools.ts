/**
 * Finds tools listed twice under the same name (the API refuses two tools with one name).
 *
 * @module
 */
import type { FormattedIssue } from './format-issues.js';

/** A tool as listed in a program's settings. */
export interface ListedTool {
  /** The name the model calls it. */
  name: string;
  /** Where it is listed, e.g. `tools.enabled[1]` or `tools[2]`. */
  keyPath: string;
}

/**
 * One issue per tool whose name an earlier entry already has:
 * `tools[2]: a tool named "calculator" is already listed at tools[0]`.
 */
export function duplicateToolIssues(tools: readonly ListedTool[]): FormattedIssue[] {
  const first = new Map<string, string>();
  const issues: FormattedIssue[] = [];
  for (const tool of tools) {
    const earlier = first.get(tool.name);
    if (earlier === undefined) first.set(tool.name, tool.keyPath);
    else issues.push({ keyPath: tool.keyPath, text: `${tool.keyPath}: a tool named "${tool.name}" is already listed at ${earlier}` });
  }
  return issues;
}
