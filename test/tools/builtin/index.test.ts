/** createBuiltinTools: a tool for every builtin name, the file tools confined to the program's roots. */
import { expect } from 'chai';
import { BUILTIN_TOOL_NAMES } from '../../../lib/program/builtin-tool-names.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { createBuiltinTools } from '../../../lib/tools/builtin/index.js';

describe('createBuiltinTools', () => {
  const program = (enabled: readonly string[]) =>
    LLMProgram.fromTomlString(
      `[model]\nname = "m"\nprovider = "anthropic"\n[tools]\nenabled = ${JSON.stringify(enabled)}\n[tools.read_file]\nallowed_roots = ["data", "/srv"]\n`,
      { baseDir: '/tmp/llmproc-builtin-program' },
    );

  it('creates the tool of every builtin name, in the order given', () => {
    const names = [...BUILTIN_TOOL_NAMES].reverse();
    expect(createBuiltinTools(program(names)).map((tool) => tool.name)).to.deep.equal(names);
  });

  it("confines read_file, list_dir and fd_to_file to the program's allowed roots", () => {
    for (const tool of createBuiltinTools(program(['read_file', 'list_dir', 'fd_to_file']))) {
      expect(tool.description, tool.name).to.match(/inside these (folders )?can be (read|listed|written): \/tmp\/llmproc-builtin-program\/data, \/srv\./);
    }
  });
});
