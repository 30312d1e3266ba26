// The automation page for the command line, driven over the DevTools protocol directly rather than
// through a Playwright Page. Why: Playwright enables the Network domain on every page and worker it
// attaches to, and Chromium then keeps the bodies of the worker's fetches for DevTools — measured as
// the renderer growing by ~170 MiB per 10 minutes of 1080p input (memory-infra dumps), while the same
// job in a tab nobody instruments stays flat. So the tab lives in a browser context of its own, which
// Playwright does not attach to, and we send only what we need: Runtime (evaluate, a binding for
// progress, console) and Inspector (crashes).
import type { Browser, CDPSession } from 'playwright-core';
import type { Automation } from '../app/automation';
import type { JobProgress } from '../job/protocol';

export const PROGRESS_BINDING = 'dualfaceProgressBinding';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

type Method = keyof Automation;
type Result<M extends Method> = Awaited<ReturnType<Automation[M]>>;

export interface TabHooks {
  onProgress?: (key: string, progress: JobProgress) => void;
  onConsole?: (type: string, text: string) => void;
}

export class AutomationTab {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashed: string | null = null;
  private disposed = false;

  private constructor(
    private readonly cdp: CDPSession,
    private readonly browserContextId: string,
    private readonly sessionId: string,
    private readonly hooks: TabHooks,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId === this.sessionId) this.receive(JSON.parse(event.message) as Record<string, unknown>);
    });
    cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => {
      if (event.sessionId === this.sessionId) this.fail('the browser tab closed');
    });
  }

  /** A fresh tab in a context of its own, with the app open in automation mode. */
  static async open(browser: Browser, url: string, hooks: TabHooks = {}): Promise<AutomationTab> {
    const cdp = await browser.newBrowserCDPSession();
    const { browserContextId } = await cdp.send('Target.createBrowserContext', {});
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
    const tab = new AutomationTab(cdp, browserContextId, sessionId, hooks);
    try {
      await tab.send('Runtime.enable');
      await tab.send('Inspector.enable');
      await tab.send('Runtime.addBinding', { name: PROGRESS_BINDING });
      await tab.send('Page.navigate', { url });
      const deadline = Date.now() + 60_000;
      while (!(await tab.evaluate<boolean>('window.dualface !== undefined').catch(() => false))) {
        if (Date.now() > deadline) throw new Error('the app did not start in the browser within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return tab;
    } catch (error) {
      await tab.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.crashed !== null || this.disposed;
  }

  private receive(message: Record<string, unknown>): void {
    if (typeof message['id'] === 'number') {
      const pending = this.pending.get(message['id']);
      if (!pending) return;
      this.pending.delete(message['id']);
      const error = message['error'] as { message?: string } | undefined;
      if (error) pending.reject(new Error(error.message ?? 'DevTools protocol error'));
      else pending.resolve(message['result']);
      return;
    }
    const params = message['params'] as Record<string, unknown> | undefined;
    switch (message['method']) {
      case 'Runtime.bindingCalled':
        if (params?.['name'] === PROGRESS_BINDING) {
          const { key, progress } = JSON.parse(params['payload'] as string) as { key: string; progress: JobProgress };
          this.hooks.onProgress?.(key, progress);
        }
        break;
      case 'Runtime.consoleAPICalled': {
        const args = (params?.['args'] as { value?: unknown; description?: string }[] | undefined) ?? [];
        this.hooks.onConsole?.(String(params?.['type']), args.map((a) => (a.value !== undefined ? JSON.stringify(a.value) : (a.description ?? ''))).join(' '));
        break;
      }
      case 'Runtime.exceptionThrown': {
        const details = params?.['exceptionDetails'] as { text?: string; exception?: { description?: string } } | undefined;
        this.hooks.onConsole?.('error', `page error: ${details?.exception?.description ?? details?.text ?? 'unknown'}`);
        break;
      }
      case 'Inspector.targetCrashed':
        this.fail('the browser tab crashed (out of memory?)');
        break;
    }
  }

  private fail(reason: string): void {
    this.crashed ??= reason;
    for (const pending of this.pending.values()) pending.reject(new Error(reason));
    this.pending.clear();
  }

  private send(method: string, params: object = {}): Promise<unknown> {
    if (this.crashed) return Promise.reject(new Error(this.crashed));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: unknown) => {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Evaluates an expression in the page, awaiting a promise; the value comes back as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
      result: { value?: T };
      exceptionDetails?: { text?: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text ?? 'evaluation failed');
    return result.result.value as T;
  }

  /** Calls `window.dualface[method](...args)` in the page (arguments and result as JSON). */
  call<M extends Method>(method: M, ...args: Parameters<Automation[M]>): Promise<Result<M>> {
    return this.evaluate<Result<M>>(`window.dualface.${method}(...${JSON.stringify(args)})`);
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.fail('the browser tab closed');
    await this.cdp.send('Target.disposeBrowserContext', { browserContextId: this.browserContextId }).catch(() => undefined);
    await this.cdp.detach().catch(() => undefined);
  }
}
