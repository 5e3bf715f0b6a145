import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the page tests leave their screenshots, for a human to look at. */
export const screenshotDir = resolve(process.cwd(), '.test-run', 'screenshots');

/**
 * Debian's Chromium driven by playwright-core (../shared/STACK.md): headless, no sandbox (CI runs as
 * root), and no background networking, which would flood a closed network with refused connections.
 * Playwright gives each launch a fresh profile of its own. `.ci/run` installs Chromium when missing;
 * a machine without it fails here, saying what to install.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(screenshotDir, { recursive: true });
  return browser;
}

/** Every console error, page error and CSP violation of a page, to assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
