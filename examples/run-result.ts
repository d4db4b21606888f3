/**
 * The spec's RunResult example: run one prompt and look at what it cost.
 *
 *   npx tsx --conditions=llmproc-source examples/run-result.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model.
 */
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./minimal.toml', import.meta.url)));
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
