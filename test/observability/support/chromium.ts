/**
 * Debian's Chromium, driven by playwright-core, for the report page tests: headless, no sandbox,
 * nothing that reaches the network on its own, a new empty profile each time.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where `.ci/run` installs Chromium (Debian's `chromium` package). */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A running browser and what closes it (and removes its profile). */
export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh user-data-dir.
 *
 * @throws when Chromium is not installed, saying how to install it (the test fails; it is not skipped).
 */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}, and the report page tests need it: run .ci/run (it installs it), or apt-get install chromium.`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'llmproc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
