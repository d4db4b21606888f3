/** A program as plain data for snapshots: its fingerprint, where two definitions differ, and no header value written. */
import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import * as v from 'valibot';
import { canonicalJson, firstDifference, fingerprintOf, programData, valueAt } from '../../lib/snapshot/program-data.js';
import { ProgramDataSchema } from '../../lib/snapshot/snapshot-schema.js';

describe('program data and fingerprints', () => {
  const program = new LLMProgram({ model: 'claude-test', systemPrompt: 'Hi.', tools: ['calculator'], parameters: { maxTokens: 100 } });

  it('canonical JSON sorts keys and drops undefined, so equal data has one fingerprint', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).to.equal('{"a":[{"c":2}],"b":1}');
    expect(fingerprintOf(programData(program))).to.equal(fingerprintOf(programData(new LLMProgram({ tools: ['calculator'], systemPrompt: 'Hi.', parameters: { maxTokens: 100 }, model: 'claude-test' }))));
    expect(fingerprintOf(programData(program))).not.to.equal(fingerprintOf(programData(new LLMProgram({ model: 'claude-test', systemPrompt: 'Hi!', tools: ['calculator'], parameters: { maxTokens: 100 } }))));
  });

  it('names the first setting where two definitions differ, and reads it back', () => {
    const other = programData(new LLMProgram({ model: 'claude-test', systemPrompt: 'Hi.', tools: ['calculator', 'read_file'], parameters: { maxTokens: 100 } }));
    const was = programData(program);
    expect(firstDifference(was, was)).to.equal(undefined);
    expect(firstDifference(was, other)).to.equal('builtinTools');
    expect(firstDifference({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } })).to.equal('a.b[1].c');
    expect(valueAt({ a: { b: [1, { c: 2 }] } }, 'a.b[1].c')).to.equal(2);
  });

  it('writes no header value, only its digest, which still changes the fingerprint', () => {
    // The program options do not load extraHeaders yet: a program that has them, as a TOML file with them will.
    const withHeaders = (value: string): LLMProgram =>
      new Proxy(program, { get: (target, key) => (key === 'parameters' ? { maxTokens: 100, extraHeaders: { 'x-api-key': value } } : Reflect.get(target, key)) });
    const data = programData(withHeaders('sk-secret-header-value'));
    expect(JSON.stringify(data)).not.to.include('sk-secret-header-value');
    expect((data.parameters['extraHeaders'] as Record<string, string>)['x-api-key']).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprintOf(data)).not.to.equal(fingerprintOf(programData(withHeaders('another'))));
  });

  it("checks a snapshot's endpoint, read_file and file descriptor settings with the program's own tables (a key added to one is a snapshot key too)", () => {
    const data = programData(new LLMProgram({ model: 'claude-test', readFile: { maxBytes: 10 }, fileDescriptor: { maxDirectOutputChars: 20 } }));
    expect(v.safeParse(ProgramDataSchema, data).success).to.equal(true);
    const refused = (change: object) => v.safeParse(ProgramDataSchema, { ...data, ...change }).issues?.map((issue) => v.getDotPath(issue));
    expect(refused({ readFile: { maxBytes: 0 } }), 'a positive integer, as [tools.read_file] max_bytes').to.deep.equal(['readFile.maxBytes']);
    expect(refused({ fileDescriptor: { defaultPageSize: 1.5 } })).to.deep.equal(['fileDescriptor.defaultPageSize']);
    expect(refused({ endpoint: { baseUrl: 'localhost:11434' } }), 'an http(s) URL, as [model] base_url').to.deep.equal(['endpoint.baseUrl']);
  });
});
