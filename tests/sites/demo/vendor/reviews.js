// A third-party reviews widget (served from the second loopback origin): it builds its
// markup synchronously and scores the reviews on the main thread when it arrives.
(() => {
  const REVIEWS = [
    ['Mara', 5, 'Lighthouse is the best filter coffee I have had outside Addis.'],
    ['Tom', 4, 'Night Ferry makes a proper flat white. Delivery took three days.'],
    ['Ines', 5, 'Friendly roasters, and they will grind for your brewer if you ask.'],
  ];
  const end = performance.now() + 90;
  while (performance.now() < end); // "Sentiment scoring" on the main thread.
  const root = document.getElementById('reviews-widget');
  if (!root) return;
  root.innerHTML = REVIEWS.map(([who, stars, text]) =>
    `<blockquote><p>${text}</p><footer>${'*'.repeat(stars)} ${who}</footer></blockquote>`).join('');
})();
