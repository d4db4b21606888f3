/**
 * The spec's callbacks example (this is `npm run demo`): stateful callbacks that track the tools
 * running now, on a program whose tools come from an MCP server and the builtin calculator.
 *
 *   npm run demo
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./mcp.toml', import.meta.url)));
  const process = await program.start(model.startOptions);

  // Stateful callbacks with progress tracking
  const activeTools = new Set<string>();

  const on_tool_start = (toolName: string, args: Record<string, unknown>) => {
    activeTools.add(toolName);
    console.log(`⚙️ Running tool: ${toolName} ${JSON.stringify(args)} (${activeTools.size} active tools)`);
  };

  const on_tool_end = (toolName: string, result: { content: unknown; isError: boolean }) => {
    activeTools.delete(toolName);
    const outcome = result.isError ? 'failed' : 'completed';
    console.log(`✓ Tool ${outcome}: ${toolName} (${activeTools.size} active tools)`);
  };

  const callbacks = {
    on_tool_start,
    on_tool_end,
    on_response: (content: string) => console.log(`💬 Response: ${content.slice(0, 50)}...`),
  };

  const started = performance.now();
  const runResult = await process.run('What time is it in Tokyo right now? And what is 12*34?', { callbacks });
  const elapsed = (performance.now() - started) / 1000;

  console.log('\nFinal response:');
  console.log(process.getLastMessage());

  console.log(`\nRun completed in ${elapsed.toFixed(2)}s using ${runResult.apiCalls} API calls`);
  console.log(
    `Tool calls: ${runResult.toolCalls.map((call) => `${call.toolName} (${call.durationMs.toFixed(1)}ms)`).join(', ') || 'none'}`,
  );
  console.log(`Tokens: ${runResult.usage.inputTokens} in, ${runResult.usage.outputTokens} out; stop reason: ${runResult.stopReason}`);
  await process.close();
} finally {
  await model.close();
}
