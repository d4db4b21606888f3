/**
 * File descriptors and list_dir: the program lists its data folder, reads a file too long to show
 * at once (the process keeps it as fd:1 and the model sees page 1), reads page 2 with read_fd and
 * saves the whole of it with fd_to_file. The RunResult counts what was kept and read.
 *
 *   npx tsx --conditions=llmproc-source examples/file-descriptors.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 * The copy it saves (fd-data/release-notes-copy.md) is removed at the end.
 */
import { rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const copy = fileURLToPath(new URL('./fd-data/release-notes-copy.md', import.meta.url));
const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./file-descriptors.toml', import.meta.url)));
  const llm = await program.start(model.startOptions);
  llm.on('tool:start', (event) => console.log(`⚙️ ${event.toolName} ${JSON.stringify(event.args)}`));
  llm.on('fd:create', (event) => console.log(`📦 ${event.toolName}'s result (${event.chars} characters) kept as ${event.fd}: ${event.pages} pages of ${event.pageSize}`));
  llm.on('fd:read', (event) => console.log(`📖 read ${event.fd}${event.page === undefined ? '' : ` page ${event.page}`}: ${event.chars} characters`));

  const listing = await llm.run('List the folder fd-data');
  console.log(`\nAnswer:\n${llm.getLastMessage()}\n`);

  const result = await llm.run('Read fd-data/release-notes.md and save it to fd-data/release-notes-copy.md');
  console.log(`\nAnswer:\n${llm.getLastMessage()}\n`);
  const saved = statSync(copy, { throwIfNoEntry: false });
  console.log(`Saved copy: ${saved ? `${saved.size} bytes` : 'none'}`);
  const { created, bytesKept, pagesRead } = result.fileDescriptors;
  console.log(`File descriptors: ${created} kept (${bytesKept} bytes), ${pagesRead} page read`);
  console.log(`API calls: ${listing.apiCalls + result.apiCalls}`);
  await llm.close();
} finally {
  rmSync(copy, { force: true });
  await model.close();
}
