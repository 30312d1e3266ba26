// One headless Chromium with the built app open in automation mode, served on 127.0.0.1: what the
// benchmarks and the scoring tool drive. Close it once; it closes the browser and the server.
import { writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { AutomationTab, type TabHooks } from './automation-tab';
import { launchChrome } from './browser';
import { AppServer } from './server';

export interface AutomationSession {
  server: AppServer;
  browser: Browser;
  tab: AutomationTab;
  close(): Promise<void>;
}

export async function openAutomationSession(distDir: string, hooks: TabHooks = {}): Promise<AutomationSession> {
  const server = new AppServer(distDir);
  await server.listen();
  let browser: Browser | null = null;
  try {
    browser = await launchChrome();
    const tab = await AutomationTab.open(browser, `${server.url}?automation`, hooks);
    const opened = browser;
    return {
      server,
      browser: opened,
      tab,
      close: async () => {
        await tab.close();
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

/** An empty file for a job's output (the server writes only into files that exist). */
export function scratchFile(path: string): string {
  writeFileSync(path, '');
  return path;
}
