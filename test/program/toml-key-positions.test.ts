import { expect } from 'chai';
import { parse } from 'smol-toml';
import { positionKey, tomlKeyPositions } from '../../lib/program/toml-key-positions.js';

/** The line and column where `path` is written in `text`, as `line:column`. */
function at(text: string, ...path: (string | number)[]): string | undefined {
  parse(text); // the scanner is only ever given TOML that smol-toml accepted
  const position = tomlKeyPositions(text).get(positionKey(path));
  return position && `${position.line}:${position.column}`;
}

describe('tomlKeyPositions(text)', () => {
  it('finds table headers, keys, and the tables a header implies', () => {
    const text = '# a comment\n[model]\nname = "m"\n\n  [mcp.tools]\n  time = "all"\n';
    expect(at(text, 'model')).to.equal('2:1');
    expect(at(text, 'model', 'name')).to.equal('3:1');
    expect(at(text, 'mcp')).to.equal('5:3');
    expect(at(text, 'mcp', 'tools', 'time')).to.equal('6:3');
    expect(at(text, 'prompt')).to.equal(undefined);
  });

  it('follows dotted and quoted keys, and keys of inline tables', () => {
    const text = 'tools.read_file.max_bytes = 10\n[mcp.tools]\n"my server" = 1\n\'lit.key\' = 2\n[parameters]\nthinking = { type = "enabled", budget_tokens = 5 }\n';
    expect(at(text, 'tools', 'read_file', 'max_bytes')).to.equal('1:1');
    expect(at(text, 'mcp', 'tools', 'my server')).to.equal('3:1');
    expect(at(text, 'mcp', 'tools', 'lit.key')).to.equal('4:1');
    expect(at(text, 'parameters', 'thinking', 'budget_tokens')).to.equal('6:32');
  });

  it('finds the items of arrays, over several lines and with comments', () => {
    const text = '[tools]\nenabled = [\n  "calculator", # first\n  "read_file",\n]\nother = [[1, 2], [3]]\n';
    expect(at(text, 'tools', 'enabled', 0)).to.equal('3:3');
    expect(at(text, 'tools', 'enabled', 1)).to.equal('4:3');
    expect(at(text, 'tools', 'other', 1, 0)).to.equal('6:19');
  });

  it('is not misled by brackets, quotes and equals signs inside strings', () => {
    const text = '[prompt]\nsystem_prompt = """\n[model]\nname = "x"\n"""\nx = \'a = [b\'\ny = "q\\"[" # ]\n[after]\nkey = 1\n';
    expect(at(text, 'model')).to.equal(undefined);
    expect(at(text, 'prompt', 'x')).to.equal('6:1');
    expect(at(text, 'prompt', 'y')).to.equal('7:1');
    expect(at(text, 'after', 'key')).to.equal('9:1');
  });

  it('counts arrays of tables, and reads dates and CRLF line ends', () => {
    const text = '[[servers]]\nname = "a"\r\n[[servers]]\r\nname = "b"\r\nwhen = 1979-05-27 07:32:00\r\nlast = 1\r\n';
    expect(at(text, 'servers', 0, 'name')).to.equal('2:1');
    expect(at(text, 'servers', 1, 'name')).to.equal('4:1');
    expect(at(text, 'servers', 1, 'last')).to.equal('6:1');
  });
});
