/* careties: start the NHS.UK frontend's components (the header menu on a phone, error
   summaries, skip links, character counts). A module file, not an inline script, so the
   Content-Security-Policy (script-src 'self') allows it. Components inside sections that
   htmx swaps in are started too. */
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
document.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.target });
});
