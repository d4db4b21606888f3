import { expect } from 'chai';
import path from 'node:path';
import { McpConfigError } from '../../../lib/errors.js';
import { thrownBy } from '../../support/thrown-by.js';
import { DEFAULT_MCP_CALL_TIMEOUT_MS, DEFAULT_MCP_START_TIMEOUT_MS, loadMcpConfig } from '../../../lib/tools/mcp/load-config.js';
import { fixtures, TempDir } from './support.js';

/** The McpConfigError that loading `file` throws. */
function loadError(file: string): McpConfigError {
  return thrownBy(() => loadMcpConfig(file), McpConfigError, file);
}

describe('loadMcpConfig', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(() => dir.remove());

  describe('when the file is valid', () => {
    it('reads stdio and HTTP servers with their defaults', () => {
      const file = dir.config({
        time: { command: 'uvx', args: ['mcp-server-time'], env: { TZ: 'UTC' } },
        remote: { type: 'streamable-http', url: 'https://example.com/mcp', headers: { authorization: 'Bearer x' }, timeoutMs: 5000 },
      });
      expect(loadMcpConfig(file)).to.deep.equal({
        file,
        servers: {
          time: {
            kind: 'stdio',
            command: 'uvx',
            args: ['mcp-server-time'],
            env: { TZ: 'UTC' },
            cwd: dir.path,
            timeoutMs: DEFAULT_MCP_CALL_TIMEOUT_MS,
            startTimeoutMs: DEFAULT_MCP_START_TIMEOUT_MS,
          },
          remote: {
            kind: 'http',
            url: 'https://example.com/mcp',
            headers: { authorization: 'Bearer x' },
            timeoutMs: 5000,
            startTimeoutMs: DEFAULT_MCP_START_TIMEOUT_MS,
          },
        },
      });
      expect(DEFAULT_MCP_CALL_TIMEOUT_MS).to.equal(30_000);
    });

    it('resolves a relative cwd against the config file\'s folder, and accepts type "stdio" and unknown keys', () => {
      const file = dir.config({ a: { type: 'stdio', command: 'node', cwd: 'servers/a', startTimeoutMs: 100, disabled: false } });
      expect(loadMcpConfig(file).servers['a']).to.deep.include({ kind: 'stdio', cwd: path.join(dir.path, 'servers', 'a'), startTimeoutMs: 100 });
    });

    it('reads the config of the llmproc 0.2.0 examples', () => {
      const file = dir.write(
        'mcp_servers.json',
        `{
  "mcpServers": {
     "codemcp": {
      "type": "stdio",
      "command": "/bin/zsh",
      "args": ["-c", "uvx --from git+https://github.com/ezyang/codemcp@main codemcp-multi"]
    }
  }
}`,
      );
      expect(loadMcpConfig(file).servers['codemcp']).to.deep.include({ kind: 'stdio', command: '/bin/zsh' });
    });

    it('reads the relative fixture config', () => {
      expect(loadMcpConfig(path.join(fixtures, 'relative-servers.json')).servers['echo']).to.deep.include({ command: 'node', cwd: fixtures });
    });
  });

  describe('when the file cannot be used', () => {
    it('names the path of a missing file', () => {
      const file = path.join(dir.path, 'missing.json');
      const error = loadError(file);
      expect(error.message).to.equal(`${file}: cannot read the MCP servers' config file ([mcp] config_path): file not found`);
      expect(error.file).to.equal(file);
    });

    it("gives the JSON parser's message for invalid JSON", () => {
      const text = '{ "mcpServers": { nope } }';
      let parserMessage = '';
      try {
        JSON.parse(text);
      } catch (error) {
        parserMessage = (error as Error).message;
      }
      expect(parserMessage).not.to.equal('');
      expect(loadError(dir.write('bad.json', text)).message).to.equal(`${path.join(dir.path, 'bad.json')}: invalid JSON: ${parserMessage}`);
    });

    it('names the key path, the expected type and the received one', () => {
      const file = dir.write('mcp_servers.json', { mcpServers: { time: { command: 42 } } });
      const error = loadError(file);
      expect(error.message).to.equal(`${file}: mcpServers.time.command: expected a non-empty command, received number`);
      expect(error).to.include({ file, keyPath: 'mcpServers.time.command', server: 'time' });
    });

    it('requires mcpServers to be an object', () => {
      expect(loadError(dir.write('a.json', { servers: {} })).message).to.match(/a\.json: mcpServers: missing; expected an object of servers$/);
      expect(loadError(dir.write('b.json', 'null')).message).to.match(/b\.json: \(the file\): expected an object, received null$/);
      expect(loadError(dir.write('c.json', { mcpServers: { x: 'node' } })).message).to.match(/mcpServers\.x: expected an object, received "node"$/);
    });

    it('requires a command or a url', () => {
      const error = loadError(dir.config({ empty: { args: ['x'] } }));
      expect(error.message).to.match(/: mcpServers\.empty: expected a "command" \(a stdio server\) or a "url" \(an HTTP server\)$/);
      expect(error.server).to.equal('empty');
    });

    it('checks each field of an entry', () => {
      const cases: [unknown, RegExp][] = [
        [{ command: '' }, /mcpServers\.s\.command: expected a non-empty command, received ""$/],
        [{ command: 'x', args: ['ok', 3] }, /mcpServers\.s\.args\[1\]: expected string, received number$/],
        [{ command: 'x', env: { A: 1 } }, /mcpServers\.s\.env\.A: expected string, received number$/],
        [{ command: 'x', timeoutMs: -5 }, /mcpServers\.s\.timeoutMs: expected a positive whole number of milliseconds, received -5$/],
        [{ command: 'x', startTimeoutMs: 1.5 }, /mcpServers\.s\.startTimeoutMs: expected a positive whole number of milliseconds, received 1.5$/],
        [{ url: 'not a url' }, /mcpServers\.s\.url: expected an http:\/\/ or https:\/\/ URL, received "not a url"$/],
        [{ url: 'ftp://example.com' }, /mcpServers\.s\.url: expected an http:\/\/ or https:\/\/ URL, received "ftp:\/\/example.com"$/],
        [{ type: 'sse', url: 'https://example.com/sse' }, /mcpServers\.s\.type: unknown value "sse"; expected one of: stdio, http, streamable-http$/],
        [{ type: 'http', url: 'https://x.dev', headers: 'Bearer x' }, /mcpServers\.s\.headers: expected an object of strings, received "Bearer x"$/],
      ];
      for (const [entry, message] of cases) {
        expect(loadError(dir.config({ s: entry })).message, JSON.stringify(entry)).to.match(message);
      }
    });

    it('lists every problem, quoting server names that are not plain words', () => {
      const error = loadError(dir.config({ 'my server': { command: 1 }, ok: { command: 'x' }, other: { url: 5 } }));
      expect(error.message).to.match(/: 2 problems:\n {2}- mcpServers\."my server"\.command: expected a non-empty command, received number\n {2}- mcpServers\.other\.url: expected an http:\/\/ or https:\/\/ URL, received number$/);
      expect(error).to.include({ keyPath: 'mcpServers."my server".command', server: 'my server' });
    });
  });
});
