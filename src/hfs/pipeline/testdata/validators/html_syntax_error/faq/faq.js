document.querySelectorAll('details').forEach((item) => {
  item.addEventListener('toggle', () => {
    item.dataset.opened = String(item.open;
  });
});
