// `?automation`: the command line drives the pipeline only: the automation API is installed, no UI is
// rendered (nor fonts needed, which a bare GPU machine lacks), and no service worker is installed.
// Otherwise the page, without the automation API.
if (new URLSearchParams(location.search).has('automation')) {
  void import('./app/automation').then(({ installAutomation }) => installAutomation());
} else {
  // The installed app works offline: the service worker (built with the app) caches all of it. A
  // new version waits until the page takes it, which it offers only while no job runs.
  void import('./app/dualface-app').then(({ DualFaceApp }) => {
    if (!import.meta.env.PROD) return;
    void import('./app/update').then(({ registerServiceWorker }) => registerServiceWorker({ onReady: (apply) => DualFaceApp.updateReady(apply) }));
  });
}
