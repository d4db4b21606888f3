/** `@google/genai` is loaded only when a Gemini program starts: one dynamic import, in load-sdk.ts. */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGeminiSdk } from '../../../lib/providers/gemini/load-sdk.js';
import { MissingProviderPackageError } from '../../../lib/providers/provider-errors.js';
import { rejectionOf } from '../../support/promises.js';

const LIB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../lib');

/** Every TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('loading @google/genai', () => {
  it("loads the installed package's GoogleGenAI and ApiError", async () => {
    const sdk = await loadGeminiSdk('gemini');
    expect(sdk.GoogleGenAI).to.be.a('function');
    expect(sdk.ApiError).to.be.a('function');
  });

  it('is imported at run time only by providers/gemini/load-sdk.ts; every other module imports its types only', () => {
    const importers = sources(LIB).filter((file) => {
      const text = readFileSync(file, 'utf8');
      const runtime = /^import (?!type )[^;]*from '@google\/genai'/m.test(text) || /import\('@google\/genai'\)/.test(text);
      return runtime;
    });
    expect(importers.map((file) => path.relative(LIB, file))).to.deep.equal([path.join('providers', 'gemini', 'load-sdk.ts')]);
  });

  it('an SDK without GoogleGenAI (another major version) is a MissingProviderPackageError', async () => {
    const error = (await rejectionOf(loadGeminiSdk('gemini_vertex', async () => ({}) as never))) as MissingProviderPackageError;
    expect(error).to.be.instanceOf(MissingProviderPackageError).and.include({ provider: 'gemini_vertex' });
    expect(error.message).to.include('has no GoogleGenAI export');
  });

  it('another failure of the import (a broken dependency of the package) is passed on as it is', async () => {
    const broken = new SyntaxError('Unexpected token');
    expect(await rejectionOf(loadGeminiSdk('gemini', () => Promise.reject(broken)))).to.equal(broken);
  });
});
