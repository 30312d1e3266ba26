// `?automation`: the command line drives the pipeline only: the automation API is installed, no UI is
// rendered (nor fonts needed, which a bare GPU machine lacks), and no service worker is installed.
// Otherwise the page, without the automation API.
if (new URLSearchParams(location.search).has('automation')) {
  void import('./app/automation').then(({ installAutomation }) => installAutomation());
} else {
  void import('./app/dualface-app');
  // The installed app works offline: the service worker (built with the app) caches all of it.
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register('./sw.js').catch((error: unknown) => console.warn('offline use is unavailable:', error));
  }
}
