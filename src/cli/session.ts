// One headless Chromium with the built app open in automation mode, served on 127.0.0.1: what the
// benchmarks drive. Close it once; it closes the browser and the server.
import type { Browser, Page } from 'playwright-core';
import { launchChrome } from './browser';
import { AppServer } from './server';

export interface AutomationSession {
  server: AppServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A new page with the app open in automation mode; `prepare` runs before it loads (e.g. listeners). */
export async function openAutomationPage(browser: Browser, server: AppServer, prepare?: (page: Page) => void): Promise<Page> {
  const page = await browser.newPage();
  prepare?.(page);
  await page.goto(`${server.url}?automation`);
  await page.waitForFunction(() => window.dualface !== undefined);
  return page;
}

export async function openAutomationSession(distDir: string): Promise<AutomationSession> {
  const server = new AppServer(distDir);
  await server.listen();
  let browser: Browser | null = null;
  try {
    browser = await launchChrome();
    const page = await openAutomationPage(browser, server);
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      close: async () => {
        await opened.close().catch(() => undefined);
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw error;
  }
}
