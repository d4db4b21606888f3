/**
 * Images and documents in prompts: run() takes content parts — text, an image (read from a file,
 * or given as bytes or base64), an image by URL, a PDF — checked before anything is sent. A part
 * the model API would refuse is refused here, naming the part, and the conversation stays as it was.
 *
 *   npx tsx --conditions=llmproc-source examples/image-input.ts
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise llmproc's offline scripted model
 * (which says what it received).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inputPartFromFile, InvalidInputPartError, LLMProgram } from 'llmproc';
import { connectModel } from 'llmproc/testing';

const media = (name: string): string => fileURLToPath(new URL(`./media/${name}`, import.meta.url));

const model = await connectModel();
try {
  const program = LLMProgram.fromToml(fileURLToPath(new URL('./minimal.toml', import.meta.url)));
  const process = await program.start(model.startOptions);

  // An image as bytes (base64 text works too), and a PDF read from disk (its type read from its bytes).
  const image = { type: 'image' as const, mediaType: 'image/png', data: await readFile(media('gradient.png')) };
  const report = await inputPartFromFile(media('report.pdf'));
  const result = await process.run([{ type: 'text', text: 'What do this image and this report show?' }, image, report]);
  console.log(`Answer: ${process.getLastMessage()}`);
  console.log(`${result.apiCalls} API call, ${result.totalTokens} tokens`);

  // A part the API would refuse is refused before anything is sent, naming the part.
  try {
    await process.run([{ type: 'text', text: 'And this one?' }, { type: 'image', mediaType: 'image/svg+xml', data: Buffer.from('<svg/>') }]);
  } catch (error) {
    if (!(error instanceof InvalidInputPartError)) throw error;
    console.log(`Refused: ${error.message}`);
    console.log(`The conversation still has ${process.getState().length} messages.`);
  }
  await process.close();
} finally {
  await model.close();
}
