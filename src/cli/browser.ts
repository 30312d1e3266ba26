// Finding and starting the system's Chromium/Chrome for the command line and the browser tests.
import { existsSync, readdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { messageOf } from '../core/errors';

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

/**
 * Nothing may leave the machine, not even a name lookup: every host name resolves to nothing except
 * the loopback address our server listens on (and localhost, which Chromium answers itself, for
 * `npm start`). The browser's own services that call home even with background networking off (the
 * component updater, the account list of sign-in; seen in a net-log of Chromium 156) are pointed at
 * port 0 of the loopback, which no request can reach. Chromium 150 (Debian 12's) also starts Google
 * Cloud Messaging in a fresh profile and posts a device check-in about 3 s after start; no flag or
 * feature we found keeps it from starting (background networking, sync, sign-in, extensions and the
 * push features off do not, nor does disabling any one of the 28,542 feature-like names in both 150's
 * and 156's binaries), so its check-in, connection and registration endpoints go to port 0 as well.
 */
export const PRIVACY_FLAGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--component-updater=url-source=http://127.0.0.1:0/',
  '--gaia-url=http://127.0.0.1:0/',
  '--gcm-checkin-url=http://127.0.0.1:0/',
  '--gcm-mcs-endpoint=http://127.0.0.1:0/',
  '--gcm-registration-url=http://127.0.0.1:0/',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--no-pings',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
];

/**
 * Features that make Chromium reach out by itself (network time from clients2.google.com, hints,
 * preconnects to the search engine). Playwright's default arguments turn them off; a setup that
 * brings its own flags (CHROME_FLAGS without those defaults) gets them turned off here, merged with
 * its own --disable-features (Chromium reads only the last one given).
 */
const NETWORK_FEATURES = ['NetworkTimeServiceQuerying', 'OptimizationHints', 'AimEnabled', 'PreconnectToSearch', 'MediaRouter'];

export function withNetworkFeaturesOff(flags: readonly string[]): string[] {
  const prefix = '--disable-features=';
  const given = flags.filter((f) => f.startsWith(prefix)).flatMap((f) => f.slice(prefix.length).split(',').filter(Boolean));
  const features = [...new Set([...given, ...NETWORK_FEATURES])];
  return [...flags.filter((f) => !f.startsWith(prefix)), prefix + features.join(',')];
}

/**
 * Chromium's sandbox stays on while it decodes untrusted files; only root needs it off (Chromium
 * refuses to start sandboxed as root). DUALFACE_NO_SANDBOX=1 turns it off where the system cannot
 * provide one (some containers).
 */
export function sandboxFlags(): string[] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root || process.env['DUALFACE_NO_SANDBOX'] === '1' ? ['--no-sandbox'] : [];
}

/** Flags for headless Chromium with WebGPU: the real GPU when there is one, else SwiftShader. */
export function chromeFlags(): string[] {
  const common = ['--headless=new', ...sandboxFlags(), '--enable-unsafe-webgpu', ...PRIVACY_FLAGS];
  const software = process.env['DUALFACE_GPU'] === 'software' || (process.env['DUALFACE_GPU'] !== 'hardware' && !hasGpuDevice());
  return software
    ? [...common, '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader', '--enable-unsafe-swiftshader']
    : [...common, '--enable-features=Vulkan'];
}

/**
 * `extraArgs`: more flags. DUALFACE_NET_LOG=FILE writes Chromium's net-log there (every lookup and
 * connection it makes), to check that nothing but 127.0.0.1 is reached.
 */
export async function launchChrome(extraArgs: readonly string[] = []): Promise<Browser> {
  const netLog = process.env['DUALFACE_NET_LOG'];
  if (netLog) extraArgs = [...extraArgs, `--log-net-log=${netLog}`, '--net-log-capture-mode=Everything'];
  const executablePath = findChrome();
  if (!executablePath) throw new Error(NO_BROWSER_HELP);
  // The command line handles Ctrl-C itself (cancel, clean up, report): the driver must not close the
  // browser under it.
  // Playwright adds --no-sandbox itself unless told the sandbox is wanted.
  const signals = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, chromiumSandbox: sandboxFlags().length === 0 };
  // A setup that brings its own Chromium build can bring its own flags (CHROME_FLAGS); ours for
  // privacy are added all the same.
  const ownFlags = process.env['CHROME_FLAGS'];
  if (ownFlags && process.env['CHROME_IGNORE_DEFAULT_ARGS'] === '1') {
    const args = withNetworkFeaturesOff([...ownFlags.split(' ').filter(Boolean), ...PRIVACY_FLAGS, ...extraArgs, '--remote-debugging-pipe']);
    return chromium.launch({ executablePath, args, ignoreDefaultArgs: true, ...signals });
  }
  try {
    return await chromium.launch({ executablePath, args: [...chromeFlags(), ...extraArgs], ...signals });
  } catch (error) {
    const message = messageOf(error);
    if (/sandbox/i.test(message) && sandboxFlags().length === 0) {
      throw new Error(
        `Chromium could not start its sandbox on this system. Enable unprivileged user namespaces, or set DUALFACE_NO_SANDBOX=1 to run it without one.\n${message.split('\n')[0]}`,
        { cause: error },
      );
    }
    throw error;
  }
}
