#!/usr/bin/env node
// A small MCP server over stdio, used by examples/mcp.toml: it tells the time in any IANA time zone.
// Plain JavaScript on the official MCP SDK, so it runs with `node` and nothing else.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const server = new Server({ name: 'clock', version: '1.0.0' }, { capabilities: { tools: {} } });

const tools = [
  {
    name: 'current_time',
    description: 'The current date and time in a time zone (IANA name such as "Europe/Paris"; default UTC).',
    inputSchema: {
      type: 'object',
      properties: { timezone: { type: 'string', description: 'IANA time zone, e.g. "America/New_York"' } },
    },
  },
  {
    name: 'time_difference',
    description: 'How many hours one time zone is ahead of another right now.',
    inputSchema: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' } },
      required: ['from', 'to'],
    },
  },
];

/** Minutes east of UTC for `timeZone` at `date`. */
function offsetMinutes(timeZone, date) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

function text(value, isError = false) {
  return { content: [{ type: 'text', text: value }], isError };
}

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const args = request.params.arguments ?? {};
  try {
    switch (request.params.name) {
      case 'current_time': {
        const timeZone = typeof args.timezone === 'string' && args.timezone ? args.timezone : 'UTC';
        const now = new Date();
        const shown = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(now);
        return text(`${shown} (${timeZone})`);
      }
      case 'time_difference': {
        const now = new Date();
        const hours = (offsetMinutes(String(args.to), now) - offsetMinutes(String(args.from), now)) / 60;
        return text(`${args.to} is ${hours} hour(s) ahead of ${args.from}.`);
      }
      default:
        return text(`Unknown tool: ${request.params.name}`, true);
    }
  } catch (error) {
    return text(`Error: ${error instanceof Error ? error.message : String(error)}`, true);
  }
});

await server.connect(new StdioServerTransport());
