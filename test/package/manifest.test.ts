/**
 * The published manifest: what `exports`, `bin`, `main` and `types` point at is in `files`, so an
 * installed package has it; the licence file matches `license`; source maps carry their sources.
 * (`npm run check:package` installs the real tarball and checks it from a consumer's side.)
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  license: string;
  repository?: { type: string; url: string };
  homepage?: string;
  files: string[];
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  scripts: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

/** Every file path the manifest points at, each with where it was found. */
function pointedAt(): Array<[where: string, target: string]> {
  const targets: Array<[string, string]> = [['main', manifest.main], ['types', manifest.types]];
  for (const [name, target] of Object.entries(manifest.bin)) targets.push([`bin.${name}`, target]);
  for (const [subpath, entry] of Object.entries(manifest.exports)) {
    if (typeof entry === 'string') targets.push([`exports["${subpath}"]`, entry]);
    else for (const [condition, target] of Object.entries(entry)) targets.push([`exports["${subpath}"].${condition}`, target]);
  }
  return targets;
}

/** Whether `target` (`./dist/index.js`) is inside one of the `files` entries. */
function published(target: string): boolean {
  const file = path.posix.normalize(target.replace(/^\.\//, ''));
  return file === 'package.json' || manifest.files.some((entry) => file === entry || file.startsWith(`${entry.replace(/\/$/, '')}/`));
}

describe('the package manifest', () => {
  it('publishes every file that exports, bin, main and types point at (the llmproc-source sources too)', () => {
    const unpublished = pointedAt().filter(([, target]) => !published(target));
    expect(unpublished, 'pointed at but not in "files"').to.deep.equal([]);
  });

  it('points the llmproc-source condition at sources that exist', () => {
    for (const [where, target] of pointedAt().filter(([at]) => at.endsWith('.llmproc-source'))) {
      expect(existsSync(path.join(root, target)), `${where}: ${target}`).to.equal(true);
    }
  });

  it('ships a LICENSE with the full text of the licence it names', () => {
    expect(manifest.license).to.equal('Apache-2.0');
    expect(manifest.files).to.include('LICENSE');
    const text = readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(text).to.match(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).to.include('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).to.include('END OF TERMS AND CONDITIONS');
  });

  it('names its repository and homepage', () => {
    expect(manifest.repository?.url).to.match(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(manifest.homepage).to.match(/^https:\/\//);
  });

  it('builds source maps with their sources inlined, and declaration maps', () => {
    const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(build.compilerOptions).to.include({ declaration: true, emitDeclarationOnly: true, declarationMap: true });
    const script = String(manifest.scripts['build']);
    expect(script).to.include(' --sourcemap ').and.include(' --sources-content=true ');
  });

  it('bundles every entry point that exports and bin name (one esbuild run, so they share their chunks)', () => {
    const script = String(manifest.scripts['build']);
    const bundled = /esbuild (.*?) --/.exec(script)?.[1]?.split(' ') ?? [];
    const targets = [...Object.values(manifest.exports), ...Object.values(manifest.bin)]
      .map((target) => (typeof target === 'string' ? target : (target as Record<string, string>)['default']))
      .filter((target): target is string => typeof target === 'string' && target.startsWith('./dist/'));
    expect(targets).to.have.length.greaterThan(3);
    for (const target of targets) {
      expect(bundled, target).to.include(target.replace('./dist/', 'lib/').replace(/\.js$/, '.ts'));
    }
  });
});
