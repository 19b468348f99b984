// Progressive enhancement only: every page works without this file.
const copy = document.querySelector('[data-copy-link]');
if (copy && navigator.clipboard) {
  copy.hidden = false;
  const status = document.querySelector('[data-copy-status]');
  copy.addEventListener('click', async () => {
    const url = new URL(window.location.href);
    url.search = '';
    await navigator.clipboard.writeText(url.toString());
    if (status) status.textContent = copy.dataset.copied || '✓';
  });
}
// Move focus to the error summary so screen-reader users hear what to fix.
const summary = document.getElementById('error-summary');
if (summary) summary.focus();
