// Demo shop script. Loaded synchronously in <head> (a render-blocking script), it inserts a
// promotion banner late (a layout shift) and runs a slow click handler (poor INP).
(() => {
  const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
  let items = 0;
  document.addEventListener('click', (event) => {
    if (!event.target.matches('[data-add]')) return;
    busy(180); // Recomputing the basket the slow way.
    items += 1;
    document.querySelector('[data-testid=basket]').textContent = `Basket: ${items} items`;
  });
  addEventListener('load', () => {
    setTimeout(() => {
      const promo = document.createElement('p');
      promo.className = 'promo';
      promo.textContent = 'Free delivery on orders over 30 this week.';
      document.querySelector('main').prepend(promo);
    }, 300);
  });
})();
