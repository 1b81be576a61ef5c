/* careties: a search box above long lists of checkboxes (the plan form's 200 GPs), so the
   targeted, listed first, are found by typing. A module file: the Content-Security-Policy
   forbids inline scripts. Without JavaScript the whole list is there as before. */
const LONG = 12;

function addFilter(group) {
  const items = Array.from(group.querySelectorAll(".nhsuk-checkboxes__item"));
  if (items.length <= LONG || group.dataset.filtered) { return; }
  group.dataset.filtered = "1";
  const id = `${group.id || "list"}-search`;
  const wrapper = document.createElement("div");
  wrapper.className = "nhsuk-form-group nhsuk-u-margin-bottom-3";
  wrapper.innerHTML = `<label class="nhsuk-label" for="${id}">Search this list</label>` +
    `<input class="nhsuk-input nhsuk-u-width-two-thirds" id="${id}" type="search" autocomplete="off">` +
    `<p class="nhsuk-body-s nhsuk-u-margin-top-1" aria-live="polite"></p>`;
  group.parentNode.insertBefore(wrapper, group);
  const input = wrapper.querySelector("input");
  const status = wrapper.querySelector("p");
  input.addEventListener("input", () => {
    const text = input.value.trim().toLowerCase();
    let shown = 0;
    items.forEach((item) => {
      const match = !text || item.textContent.toLowerCase().includes(text) ||
        item.querySelector("input").checked;
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    status.textContent = text ? `${shown} of ${items.length} shown (ticked ones stay)` : "";
  });
}

document.querySelectorAll(".nhsuk-checkboxes").forEach(addFilter);
