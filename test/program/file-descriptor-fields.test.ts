/**
 * `[file_descriptor]` / `fileDescriptor`: the settings a process's descriptors get, and what the
 * loader refuses that the schema cannot see.
 */
import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { ProgramError } from '../../lib/errors.js';
import { fileDescriptorSettings } from '../../lib/tools/file-descriptors/settings.js';

function refusal(options: Record<string, unknown>): ProgramError {
  try {
    new LLMProgram({ model: 'claude-test', ...options });
  } catch (error) {
    expect(error).to.be.instanceOf(ProgramError);
    return error as ProgramError;
  }
  expect.fail('expected a ProgramError');
}

describe('file descriptor settings', () => {
  it('are on when read_fd or fd_to_file is enabled, with Python llmproc’s defaults; off otherwise', () => {
    expect(fileDescriptorSettings({}, ['read_fd'])).to.deep.equal({ maxDirectOutputChars: 8000, defaultPageSize: 4000, canWrite: false });
    expect(fileDescriptorSettings({}, ['fd_to_file'])).to.deep.equal({ maxDirectOutputChars: 8000, defaultPageSize: 4000, canWrite: true });
    expect(fileDescriptorSettings({ maxDirectOutputChars: 1000 }, ['read_fd'])).to.include({ defaultPageSize: 1000 });
    expect(fileDescriptorSettings({}, ['read_file', 'list_dir'])).to.equal(undefined);
  });

  it('a program in code keeps what it was given, and refuses what does not go together, naming the option', () => {
    const program = new LLMProgram({ model: 'claude-test', tools: ['read_fd'], fileDescriptor: { maxDirectOutputChars: 500, defaultPageSize: 250 } });
    expect(program.fileDescriptor).to.deep.equal({ maxDirectOutputChars: 500, defaultPageSize: 250 });
    expect(refusal({ tools: ['read_file'], fileDescriptor: { enabled: true } })).to.include({
      keyPath: 'fileDescriptor.enabled',
      message: 'fileDescriptor.enabled: is true, but neither read_fd nor fd_to_file is in tools, so the model could not read what is kept; enable "read_fd"',
    });
    expect(refusal({ tools: ['read_fd', 'fd_to_file'], fileDescriptor: { enabled: false } }).message).to.include('read_fd and fd_to_file are in tools');
    expect(refusal({ tools: ['read_fd'], fileDescriptor: { defaultPageSize: 600, maxDirectOutputChars: 500 } }).keyPath).to.equal('fileDescriptor.defaultPageSize');
    for (const size of [0, -1, 2.5, '100', 1_000_001]) expect(refusal({ tools: ['read_fd'], fileDescriptor: { defaultPageSize: size } }).keyPath, String(size)).to.equal('fileDescriptor.defaultPageSize');
    expect(refusal({ tools: ['read_fd'], fileDescriptor: { pageUserInput: true } }).message).to.include('fileDescriptor.pageUserInput: unknown key');
  });
});
