/** What bench/profile.ts and bench/alloc-profile.ts run: one client's prompts, a number of them at a time. */
import type { LoopClient } from './loops.js';

/** Runs `prompt` `count` times on `client`, `concurrency` runs at a time; resolves when all are done. */
export async function runPrompts(client: LoopClient, prompt: string, count: number, concurrency = 10): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await client.run(prompt);
      }
    }),
  );
}
