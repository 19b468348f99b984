// The console's countdown to the next appointment ("dans 25 min"), refreshed every 20 s.
// Progressive enhancement only: the server already wrote the text; this keeps it true while
// the page stays open. The server's "now" is used to correct the browser's clock.
const el = document.querySelector('.agenda-countdown[data-starts-at]');
if (el) {
  const starts = Number(el.dataset.startsAt);
  const ends = Number(el.dataset.endsAt);
  const skew = Number(el.dataset.now) - Date.now() / 1000;
  const fill = (text, values) => text.replace(/\{(\w)\}/g, (_, k) => values[k]);
  const update = () => {
    const now = Date.now() / 1000 + skew;
    if (now >= ends) return;
    let text;
    if (now >= starts) {
      text = el.dataset.started;
    } else {
      const minutes = Math.ceil((starts - now) / 60);
      text = minutes < 60
        ? fill(el.dataset.minutes, { n: String(minutes) })
        : fill(el.dataset.hours, { h: String(Math.floor(minutes / 60)), m: String(minutes % 60).padStart(2, '0') });
    }
    if (el.textContent !== text) el.textContent = text;
  };
  setInterval(update, 20000);
}
