/**
 * The spec's progress-tracking example: a spinner that names the tools running now, driven by the
 * on_tool_start / on_tool_end callbacks.
 *
 *   npx tsx --conditions=llmproc-source examples/progress-tracker.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

/** Shows a spinner with the names of the running tools while there are any. */
class ToolProgressTracker {
  readonly activeTools = new Set<string>();
  private readonly spinnerChars = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
  private spinnerIdx = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.timer ??= setInterval(() => this.render(), 100);
    this.render();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
  }

  on_tool_start = (toolName: string, _args: Record<string, unknown>): void => {
    this.activeTools.add(toolName);
    this.start();
  };

  on_tool_end = (toolName: string, _result: unknown): void => {
    this.activeTools.delete(toolName);
    if (this.activeTools.size === 0) this.stop();
  };

  private render(): void {
    const spinner = this.spinnerChars[this.spinnerIdx++ % this.spinnerChars.length];
    const line = `${spinner} Processing: ${[...this.activeTools].join(', ')}`;
    // On a terminal, redraw one line; elsewhere (a pipe, a log), print plain lines.
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`);
    else if (this.spinnerIdx === 1) console.log(line);
  }
}

const model = await connectModel();
try {
  const tracker = new ToolProgressTracker();
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./mcp.toml', import.meta.url)));
  const llm = await program.start(model.startOptions);

  const callbacks = {
    on_tool_start: tracker.on_tool_start,
    on_tool_end: tracker.on_tool_end,
    on_response: (content: string) => console.log(`\nResponse: ${content.slice(0, 50)}...`),
  };

  console.log('Working on your request...');
  const runResult = await llm.run('What time is it in UTC? Use the available tools.', { callbacks });
  tracker.stop();

  console.log(`\nFinal response: ${llm.getLastMessage()}`);
  console.log(`\nRun completed in ${runResult.durationMs.toFixed(0)}ms using ${runResult.apiCalls} API calls`);
  await llm.close();
} finally {
  await model.close();
}
