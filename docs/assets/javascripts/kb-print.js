// The header of a printed page (overrides/main.html) gives the page's address
// as the build knows it. A comparison (?fiches=…) or a search (?q=…) is the
// same page with a query that changes what it shows: the printed address gets
// that query, read when the page opens and again just before printing (the
// comparison rewrites it when a sheet is removed).

const address = document.querySelector(".kb-print-header__url");

function withQuery() {
  if (!address) return;
  address.dataset.kbBuilt ??= address.textContent.trim();
  const built = new URL(address.dataset.kbBuilt);
  built.search = location.search;
  // Commas left as they are, as in the address the comparison shows.
  address.textContent = built.href.replaceAll("%2C", ",");
}

withQuery();
window.addEventListener("beforeprint", withQuery);
