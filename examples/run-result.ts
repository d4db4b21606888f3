/**
 * The spec's RunResult example: run one prompt and look at what it cost.
 *
 *   npx tsx --conditions=llmproc-source examples/run-result.ts [program.toml]
 *
 * Runs examples/minimal.toml, or the program given (llmproc 0.2.0's minimal.toml is an OpenAI
 * program). Uses the real API when the program's provider has its key set (ANTHROPIC_API_KEY,
 * OPENAI_API_KEY), otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const program = LLMProgram.fromToml(process.argv[2] ?? fileURLToPath(new URL('./minimal.toml', import.meta.url)));
const model = await connectModel({ provider: program.provider });
try {
  const process = await program.start(model.startOptions);

  // run() resolves to a RunResult
  const runResult = await process.run('Hello, how are you?');

  // The response content
  console.log(`Response: ${process.getLastMessage()}`);

  // The run metrics
  console.log(`Run completed in ${runResult.durationMs.toFixed(0)}ms`);
  console.log(`API calls: ${runResult.apiCalls}`);

  // Detailed API information, one entry per model API call
  runResult.apiCallInfos.forEach((apiInfo, i) => {
    console.log(`API call ${i + 1}:`);
    console.log(`  Model: ${apiInfo.model}`);
    console.log(`  Usage: ${JSON.stringify(apiInfo.usage)}`);
  });
  await process.close();
} finally {
  await model.close();
}
