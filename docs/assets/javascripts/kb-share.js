// The « Partager » button of practice pages and of the pages of one subject
// (organisation, territory, guide chapter…).
//
// The page marks where it goes (<div data-kb-share>, overrides/main.html);
// without JavaScript there is no button, so no button that does nothing. On
// phones and wherever the browser has the Web Share API, the button opens the
// system's share sheet; elsewhere it copies the page's address and says so in
// a visible, polite live region. No third-party script: only the browser's API.

import { el } from "./kb-dom.js";

function pageTitle() {
  const heading = document.querySelector(".md-content h1");
  return (heading?.textContent ?? document.title).replace(/¶$/, "").trim();
}

async function copy(url, status) {
  status.textContent = "";
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = "Lien copié.";
  } catch {
    // No clipboard (refused, or a page not served over HTTPS): the link, to copy by hand.
    status.textContent = `Copie refusée par le navigateur ; le lien : ${url}`;
  }
}

function init() {
  const place = document.querySelector("[data-kb-share]");
  if (!place || place.querySelector("button")) return;
  const status = el("span", { class: "kb-share__status", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "md-button kb-share__button" }, "Partager");
  button.addEventListener("click", async () => {
    const url = location.href;
    if (typeof navigator.share === "function") {
      try {
        await navigator.share({ title: pageTitle(), url });
        return;
      } catch (error) {
        // The reader closed the share sheet: nothing to do.
        if (error?.name === "AbortError") return;
      }
    }
    await copy(url, status);
  });
  place.append(button, status);
  // Under the page's title, where the reader looks for what to do with the page.
  document.querySelector(".md-content h1")?.after(place);
}

init();
