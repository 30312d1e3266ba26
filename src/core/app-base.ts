// Where the app is served from, as seen by a worker. The built workers sit in assets/ and the
// development server serves them from src/, both directly below the app, which the command line
// serves under a secret path (so not necessarily at /). Read from the worker's own address rather
// than from build flags, which a build made under a test runner gets wrong.
export function appBaseUrl(workerLocation: string): string {
  const url = new URL(workerLocation);
  const path = url.pathname;
  const cut = Math.max(path.lastIndexOf('/assets/'), path.lastIndexOf('/src/'));
  return new URL(cut >= 0 ? path.slice(0, cut + 1) : './', url).href;
}
