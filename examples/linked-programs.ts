/**
 * Linked programs: a front desk program asks its math_expert with the builtin `spawn` tool. The
 * expert's work shows up in the front desk's events and RunResult, tagged with the expert.
 *
 *   npx tsx --conditions=llmproc-source examples/linked-programs.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./linked-programs/main.toml', import.meta.url)));
  const frontDesk = await program.start(model.startOptions);

  // Child events reach the parent tagged with `child`: who did the work, and how it was started.
  frontDesk.on('tool:start', (event) => {
    const who = event.child ? `${event.child.program} (via ${event.child.via})` : program.displayName;
    console.log(`⚙️ ${who} runs ${event.toolName} ${JSON.stringify(event.args)}`);
  });

  const result = await frontDesk.run('Ask math_expert: what is 12*34?');
  console.log(`\nAnswer: ${frontDesk.getLastMessage()}`);

  console.log(`\nAPI calls: ${result.apiCalls} in all (the front desk's and the expert's)`);
  for (const call of result.apiCallInfos) {
    const who = call.child ? call.child.program : program.displayName;
    console.log(`  ${who}: ${call.usage.input_tokens ?? 0} in, ${call.usage.output_tokens ?? 0} out`);
  }
  console.log(`Tokens: ${result.totalTokens}; tool calls: ${result.toolCalls.map((call) => call.toolName).join(', ')}`);
  await frontDesk.close();
} finally {
  await model.close();
}
