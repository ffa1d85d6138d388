// A third-party chat widget that builds its UI all at once: 300 ms.
(() => {
  const end = performance.now() + 300;
  while (performance.now() < end);
})();
