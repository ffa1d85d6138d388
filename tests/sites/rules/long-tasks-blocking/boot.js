// Start-up work done all at once (hydration, config parsing): one 300 ms task.
(() => {
  const end = performance.now() + 300;
  while (performance.now() < end);
})();
