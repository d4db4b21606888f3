/**
 * A mocha root hook plugin (loaded by .mocharc.json): every test starts from the same module state.
 * The price catalog's lookups are forgotten before each test (`forgetPriceLookups`), so a test
 * sees its own lookups happen, whatever ran before it; under Stryker, that also keeps one
 * mutant's lookups from being what the next mutant's tests read.
 *
 * Like the secret watch, it loads llmproc in `beforeAll`, after the test files did (load-as-tests.ts).
 */
import { loadTestKit } from './load-as-tests.js';

let forget: (() => void) | undefined;

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    ({ forgetPriceLookups: forget } = await loadTestKit());
  },
  beforeEach(): void {
    forget?.();
  },
};
