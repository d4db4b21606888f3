/**
 * Fork: the program splits two tasks across copies of itself with the builtin `fork` tool; each
 * copy uses the calculator, and the answers come back as one tool result.
 *
 *   npx tsx --conditions=llmproc-source examples/fork.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./fork.toml', import.meta.url)));
  const llm = await program.start(model.startOptions);

  llm.on('tool:end', (event) => {
    const who = event.child ? `fork ${event.child.processId}` : 'parent';
    console.log(`✓ ${who}: ${event.toolName} ${event.result.isError ? 'failed' : 'done'}`);
  });

  const result = await llm.run('Fork: what is 12*34; what is 2^10');
  console.log(`\nAnswer:\n${llm.getLastMessage()}`);

  const forks = new Set(result.apiCallInfos.flatMap((call) => (call.child ? [call.child.processId] : [])));
  console.log(`\nAPI calls: ${result.apiCalls} (${forks.size} forks included); tokens: ${result.totalTokens}`);
  await llm.close();
} finally {
  await model.close();
}
