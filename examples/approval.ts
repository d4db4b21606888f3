/**
 * Steering a run: a tool that needs approval pauses the run; the paused run is saved as a
 * snapshot (plain JSON), restored — here in the same Node process, as it could be in another one,
 * a day later — approved, and resumed to the end, in one RunResult.
 *
 *   npx tsx --conditions=llmproc-source examples/approval.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { type LLMProcess, LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

/** Prints each tool call with what was decided about it. */
const watch = (process: LLMProcess): void =>
  void process.on('tool:end', ({ toolName, args, decision }) => console.log(`[tool] ${toolName} ${JSON.stringify(args)}: ${decision}`));

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./approval.toml', import.meta.url)));
  const process = await program.start(model.startOptions);
  watch(process);

  // The calculator needs approval, so the run pauses before it.
  const paused = await process.run('What is 12*34?');
  console.log(`Stopped: ${paused.stopReason}`);
  for (const { id, toolName, args } of paused.pendingApprovals) {
    console.log(`Waiting for approval: ${toolName} ${JSON.stringify(args)} (${id})`);
  }

  // The paused run is plain data: store it anywhere (no API key is in it) and continue later.
  const saved = JSON.stringify(process.snapshot());
  await process.close();

  const later = await LLMProgram.restore(JSON.parse(saved), model.startOptions);
  watch(later);
  for (const { id } of later.pendingApprovals) later.approve(id); // or later.deny(id, 'why not')
  const runResult = await later.resume();

  console.log(`Answer: ${later.getLastMessage()}`);
  console.log(`One run: ${runResult.apiCalls} API calls, ${runResult.toolCalls.length} tool call, stopReason ${runResult.stopReason}`);
  await later.close();
} finally {
  await model.close();
}
