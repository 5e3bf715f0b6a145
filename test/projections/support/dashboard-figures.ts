import type { Page } from 'playwright-core';

/** The dashboard's figure of citizens assisted (its number, without the label). */
export const citizensFigure = (page: Page) => page.locator('[data-figure="citizensAssisted"] b');

/**
 * Waits until the dashboard shows exactly `citizens` citizens assisted: the page follows the feed on
 * its own, so a change recorded through the API shows without a reload. Fails after 20 s.
 */
export const untilCitizensShown = (page: Page, citizens: number) =>
  page
    .locator('[data-figure="citizensAssisted"] b', { hasText: new RegExp(`^${citizens}$`) })
    .waitFor({ timeout: 20_000 });
