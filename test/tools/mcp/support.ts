/**
 * Helpers for the MCP tests: temp config files, fixture servers, pids.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpToolset } from '../../../lib/tools/mcp/start-mcp-tools.js';
import type { Tool, ToolContext } from '../../../lib/tools/tool.js';

/** The fixture servers' folder. */
export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/mcp');
/**
 * The reference server of the MCP project, found the way Node finds packages (so also from a copy
 * of the project without its own node_modules, as Stryker's sandbox is).
 */
export const everythingServer = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist/index.js',
);

/** A tool context with a fresh signal (or the one given). */
export function context(signal: AbortSignal = new AbortController().signal): ToolContext {
  return { signal, toolUseId: 'toolu_test' };
}

/** The tool of `toolset` called `name`; fails the test if there is none. */
export function toolNamed(toolset: McpToolset, name: string): Tool {
  const tool = toolset.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}; have ${toolset.tools.map((t) => t.name).join(', ')}`);
  return tool;
}

/** Whether no process with this pid exists any more. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

/** A temp folder for config files and pid files, removed by `remove()`. */
export class TempDir {
  readonly path = mkdtempSync(path.join(tmpdir(), 'llmproc-mcp-'));

  /** Writes `content` (JSON unless a string) to `name`; returns the absolute path. */
  write(name: string, content: unknown): string {
    const file = path.join(this.path, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  /** Writes `{ mcpServers }` to `name` (default `servers.json`); returns the absolute path. */
  config(mcpServers: Record<string, unknown>, name = 'servers.json'): string {
    return this.write(name, { mcpServers });
  }

  /** A fixture server entry run with this Node, writing its pid to `<label>.pid` here. */
  server(fixture: string, label: string, extra: { args?: string[]; env?: Record<string, string>; [key: string]: unknown } = {}) {
    const { args = [], env = {}, ...rest } = extra;
    return { command: process.execPath, args: [path.join(fixtures, fixture), ...args], env: { PID_FILE: this.pidFile(label), ...env }, ...rest };
  }

  /** Where the server labelled `label` writes its pid. */
  pidFile(label: string): string {
    return path.join(this.path, `${label}.pid`);
  }

  /** The pid the server labelled `label` wrote. */
  pid(label: string): number {
    return Number(readFileSync(this.pidFile(label), 'utf8'));
  }

  /** Deletes the folder and everything in it. */
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
