// One headless Chromium with the tools' page open (the app's automation API and `dualfaceTools`),
// served on 127.0.0.1: what the benchmarks and the scoring tool drive. Close it once; it closes the
// browser and the server.
import { writeFileSync } from 'node:fs';
import type { Tools } from './web/protocol';
import type { Browser } from 'playwright-core';
import { AutomationTab, type TabHooks } from '../src/cli/automation-tab';
import { launchChrome } from '../src/cli/browser';
import { AppServer } from '../src/cli/server';

export interface AutomationSession {
  server: AppServer;
  browser: Browser;
  tab: AutomationTab;
  close: () => Promise<void>;
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

type ToolMethod = keyof Tools;

/** Calls `window.dualfaceTools[method](...args)` in the tools' page (arguments and result as JSON). */
export function callTool<M extends ToolMethod>(tab: AutomationTab, method: M, ...args: Parameters<Tools[M]>): Promise<Awaited<ReturnType<Tools[M]>>> {
  return tab.evaluate(`window.dualfaceTools.${method}(...${JSON.stringify(args)})`);
}
