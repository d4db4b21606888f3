/**
 * Goto and rewind: the model goes back in its conversation with the builtin `goto` tool, then code
 * does the same with `process.rewind()` from a listener while a run is going. Each rewind happens
 * once the tool calls of its turn have their results, and the RunResult records it.
 *
 *   npx tsx --conditions=llmproc-source examples/goto.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./goto.toml', import.meta.url)));
  const llm = await program.start(model.startOptions);
  llm.on('tool:start', ({ toolName, args }) => console.log(`⚙️ ${toolName} ${JSON.stringify(args)}`));
  llm.on('rewind', ({ via, to, removed, messageId }) => console.log(`↩ ${via}: back to ${to}, ${removed} messages removed; the run goes on from ${messageId}`));

  await llm.run('What is 12*34?');
  console.log(`Answer: ${llm.getLastMessage()}`);
  console.log(`Messages: ${llm.messageIds.join(', ')}\n`);

  // The model goes back to the first question (msg_0) and asks another one in its place.
  const byModel = await llm.run('Go back to msg_0 and compute 2^10 instead');
  console.log(`Answer: ${llm.getLastMessage()}`);
  console.log(`Messages: ${llm.messageIds.join(', ')}; rewinds: ${JSON.stringify(byModel.rewinds.map(({ from, to, via }) => ({ from, to, via })))}\n`);

  // Code rewinds: once the model has asked for the calculator, the question is swapped for another.
  llm.once('tool:start', () => llm.rewind(llm.messageIds.at(-2)!, 'What is 7*6?'));
  const byCode = await llm.run('What is 1+1?');
  console.log(`Answer: ${llm.getLastMessage()}`);
  console.log(`Messages: ${llm.messageIds.join(', ')}; rewinds: ${JSON.stringify(byCode.rewinds.map(({ from, to, via }) => ({ from, to, via })))}`);
  await llm.close();
} finally {
  await model.close();
}
