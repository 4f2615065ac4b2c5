/**
 * Registers the offline service worker (dist/sw.js) in production builds. In development there is none: Vite's dev
 * server serves changing modules that must never come from a cache.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((e: unknown) => {
      // The app works without it (online only); say why in the console for whoever hosts it.
      console.warn('cineseg: offline support is unavailable:', e);
    });
  });
}
