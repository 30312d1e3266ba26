// Finding and starting the system's Chromium/Chrome for the command line and the browser tests.
import { existsSync, readdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const NO_BROWSER_HELP = `No Chrome or Chromium found. DualFace runs its pipeline in the browser.
Install one (Debian/Ubuntu: sudo apt-get install -y chromium) or point CHROME_PATH at its executable.
Looked at: CHROME_PATH, ${CANDIDATES.join(', ')}`;

export function findChrome(): string | null {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

function hasGpuDevice(): boolean {
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD')) || existsSync('/dev/nvidia0');
  } catch {
    return existsSync('/dev/nvidia0');
  }
}

/** Flags for headless Chromium with WebGPU: the real GPU when there is one, else SwiftShader. */
export function chromeFlags(): string[] {
  const common = [
    '--headless=new',
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
  const software = process.env['DUALFACE_GPU'] === 'software' || (process.env['DUALFACE_GPU'] !== 'hardware' && !hasGpuDevice());
  return software
    ? [...common, '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']
    : [...common, '--enable-features=Vulkan'];
}

export async function launchChrome(): Promise<Browser> {
  const executablePath = findChrome();
  if (!executablePath) throw new Error(NO_BROWSER_HELP);
  // The GPU machine kit brings its own Chromium and flags (see ../shared/gpu/README.md).
  const kitFlags = process.env['CHROME_FLAGS'];
  if (kitFlags && process.env['CHROME_IGNORE_DEFAULT_ARGS'] === '1') {
    return chromium.launch({ executablePath, args: [...kitFlags.split(' ').filter(Boolean), '--remote-debugging-pipe'], ignoreDefaultArgs: true });
  }
  return chromium.launch({ executablePath, args: chromeFlags() });
}
