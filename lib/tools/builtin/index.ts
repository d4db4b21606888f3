/**
 * The builtin tools a program enables by name in `[tools] enabled`.
 *
 * @module
 */
import type { LLMProgram } from '../../program/llm-program.js';
import type { Tool } from '../tool.js';
import { calculatorTool } from './calculator.js';
import { forkTool } from './fork.js';
import { createFdToFileTool } from './fd-to-file.js';
import { createListDirTool } from './list-dir.js';
import { readFdTool } from './read-fd.js';
import { gotoTool } from './goto.js';
import { createReadFileTool } from './read-file.js';
import { createSpawnTool } from './spawn.js';

/** Creates the builtin tools `program.builtinTools` names. */
export function createBuiltinTools(program: LLMProgram): Tool[] {
  return program.builtinTools.map((name): Tool => {
    switch (name) {
      case 'calculator':
        return calculatorTool;
      case 'read_file':
        return createReadFileTool({ baseDir: program.baseDir, ...program.readFile });
      case 'spawn':
        return createSpawnTool(program);
      case 'fork':
        return forkTool;
      case 'read_fd':
        return readFdTool;
      case 'fd_to_file':
        return createFdToFileTool({ baseDir: program.baseDir, allowedRoots: program.readFile.allowedRoots });
      case 'list_dir':
        return createListDirTool({ baseDir: program.baseDir, allowedRoots: program.readFile.allowedRoots });
      case 'goto':
        return gotoTool;
    }
  });
}
