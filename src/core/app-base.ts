// Where the app is served from, as seen by a worker: the built workers sit in assets/, one level
// below the app (which the command line serves under a secret path, so not necessarily at /); the
// development server serves public/ at /.
export function appBaseUrl(workerLocation: string): string {
  return new URL(import.meta.env.DEV ? '/' : '../', workerLocation).href;
}
