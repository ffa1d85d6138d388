// Updates what the user sees and nothing else.
let items = 0;
document.getElementById('action').addEventListener('click', () => {
  document.getElementById('out').textContent = `${++items} items`;
});
