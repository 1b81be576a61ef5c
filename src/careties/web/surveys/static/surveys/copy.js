// Copy buttons for survey links and resume codes. Progressive: without this
// script the read-only fields can still be selected and copied by hand.
const status = document.querySelector(".careties-copy-status");
for (const button of document.querySelectorAll(".careties-copy")) {
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      if (status) status.textContent = `${button.textContent.replace("Copy ", "").trim()} copied`;
    } catch {
      target.select();
    }
  });
}
for (const field of document.querySelectorAll("input[readonly].careties-select-on-focus")) {
  field.addEventListener("focus", () => field.select());
}
