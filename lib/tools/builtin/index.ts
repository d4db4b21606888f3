/**
 * The builtin tools a program enables by name in `[tools] enabled`.
 *
 * @module
 */
import { ProgramError } from '../../errors.js';
import type { LLMProgram } from '../../program/llm-program.js';
import type { Tool } from '../tool.js';
import { calculatorTool } from './calculator.js';
import { createReadFileTool } from './read-file.js';

/** Creates the builtin tools `program.builtinTools` names. */
export function createBuiltinTools(program: LLMProgram): Tool[] {
  return program.builtinTools.map((name): Tool => {
    switch (name) {
      case 'calculator':
        return calculatorTool;
      case 'read_file':
        return createReadFileTool({ baseDir: program.baseDir, ...program.readFile });
      default:
        throw new ProgramError(`tools.enabled: the builtin tool "${name}" is not available in this version yet`, {
          file: program.file,
          keyPath: 'tools.enabled',
        });
    }
  });
}
