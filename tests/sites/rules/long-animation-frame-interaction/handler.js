// Recomputes the basket synchronously on every click: 300 ms before the next paint.
let items = 0;
document.getElementById('action').addEventListener('click', () => {
  const end = performance.now() + 300;
  while (performance.now() < end);
  document.getElementById('out').textContent = `${++items} items`;
});
