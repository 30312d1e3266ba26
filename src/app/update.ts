// Offline use and updates: registers the service worker, and says when a new version has been
// downloaded and is waiting. The new version takes over only when asked (`apply`), which the page
// offers only while no job runs: the old version keeps serving its own files until then.
export interface UpdateWatch {
  /** Called once a new version is waiting; `apply` makes it take over and reloads the page. */
  onReady: (apply: () => void) => void;
}

const HOUR = 60 * 60 * 1000;

export function registerServiceWorker(watch: UpdateWatch): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register('./sw.js')
    .then((registration) => {
      const offer = (worker: ServiceWorker) =>
        watch.onReady(() => {
          // Reload once the new version controls the page, not before (its files are all cached then).
          navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
          worker.postMessage({ type: 'skip-waiting' });
        });
      // A version downloaded during an earlier visit may be waiting already.
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          // "installed" with a controller: an update (the first install just starts serving).
          if (installing.state === 'installed' && navigator.serviceWorker.controller) offer(installing);
        });
      });
      // A page left open for days still hears of new versions.
      setInterval(() => void registration.update().catch(() => undefined), HOUR);
    })
    .catch((error: unknown) => console.warn('offline use is unavailable:', error));
}
