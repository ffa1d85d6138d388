// Harbour Coffee's shop script. Loaded synchronously in <head> (render-blocking), sent
// without compression, and doing its start-up work in one go: it renders the product cards
// from the catalogue below, "hydrates" them (a long task), lazy-loads images from data-src
// (including the hero, the LCP element), inserts a promotion banner late (a layout shift),
// and recomputes the basket the slow way on every click (poor INP).
(() => {
  'use strict';

  const CATALOGUE = [
    { id: 'night-ferry', name: 'Night Ferry', origin: 'Brazil and Sumatra', roast: 'dark', price: 11.5,
      notes: ['dark chocolate', 'molasses', 'cedar'],
      description: 'Our espresso blend: heavy body, low acidity, and a finish that holds up in milk.' },
    { id: 'lighthouse', name: 'Lighthouse', origin: 'Yirgacheffe, Ethiopia', roast: 'light', price: 14,
      notes: ['jasmine', 'bergamot', 'lemon curd'],
      description: 'A washed Ethiopian for filter. Bright, floral and tea-like; brew it at 93 degrees.' },
    { id: 'tidewater', name: 'Tidewater', origin: 'Huila, Colombia', roast: 'medium', price: 12.5,
      notes: ['caramel', 'red apple', 'hazelnut'],
      description: 'Round and sweet; the one for milk drinks and for people who say they like coffee.' },
    { id: 'harbour-decaf', name: 'Harbour Decaf', origin: 'Cauca, Colombia (sugarcane process)', roast: 'medium', price: 12,
      notes: ['brown sugar', 'plum', 'cocoa'],
      description: 'Decaffeinated with ethyl acetate from sugarcane, so it still tastes of coffee.' },
    { id: 'spring-tide', name: 'Spring Tide', origin: 'Nyeri, Kenya', roast: 'light', price: 15.5,
      notes: ['blackcurrant', 'grapefruit', 'tomato leaf'],
      description: 'SL28 and SL34 from a cooperative we have bought from for six harvests.' },
    { id: 'breakwater', name: 'Breakwater', origin: 'Huehuetenango, Guatemala', roast: 'medium-dark', price: 11,
      notes: ['milk chocolate', 'toffee', 'orange peel'],
      description: 'A dependable all-rounder for the cafetiere, the moka pot and the office machine.' },
  ];

  const STRINGS = {
    add: 'Add to basket',
    basket: (n) => `Basket: ${n} ${n === 1 ? 'item' : 'items'}`,
    promo: 'Free delivery on orders over 30 this week.',
    price: (p) => `${p.toFixed(2)} per 250 g`,
  };

  const busy = (ms) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };

  function renderCards(root) {
    for (const product of CATALOGUE) {
      const card = document.createElement('article');
      card.innerHTML =
        `<h2>${product.name}</h2>` +
        `<p class="origin">${product.origin}, ${product.roast} roast</p>` +
        `<p>${product.description}</p>` +
        `<p class="notes">${product.notes.join(', ')}</p>` +
        `<p class="price">${STRINGS.price(product.price)}</p>` +
        `<button data-add="${product.id}">${STRINGS.add}</button>`;
      root.append(card);
    }
  }

  function lazyLoad() {
    // A hand-rolled lazy-loader from before loading=lazy existed: the preload scanner never
    // sees these URLs.
    for (const img of document.querySelectorAll('img[data-src]')) {
      img.src = img.dataset.src;
      img.removeAttribute('data-src');
    }
  }

  let items = 0;
  document.addEventListener('click', (event) => {
    if (!event.target.matches('[data-add]')) return;
    busy(180); // Recomputing the basket (prices, delivery, stock) the slow way.
    items += 1;
    document.querySelector('[data-testid=basket]').textContent = STRINGS.basket(items);
  });

  document.addEventListener('DOMContentLoaded', () => {
    renderCards(document.getElementById('beans'));
    busy(120); // "Hydration": binding every component at once, before anything is shown.
    lazyLoad();
  });

  addEventListener('load', () => {
    setTimeout(() => {
      const promo = document.createElement('p');
      promo.className = 'promo';
      promo.textContent = STRINGS.promo;
      document.querySelector('main').prepend(promo);
    }, 300);
  });
})();
