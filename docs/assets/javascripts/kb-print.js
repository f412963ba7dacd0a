// What a printed page says of its own address and of its links' (kb-print.css).
//
// The build writes, in the header of a printed page (overrides/main.html), the
// page's address under the site's published address (site_url), and gives each
// link of the content its absolute address in data-kb-href
// (knowledge/print_links.py). Two things only the browser knows:
//   - a comparison (?fiches=…) or a search (?q=…) is the same page with a query
//     that changes what it shows: the printed address gets that query;
//   - the links drawn after the build (the comparison's columns, the search
//     results) have no data-kb-href: they get one, under the published address
//     too, not under the one the page was opened at (a preview, a local copy).

const address = document.querySelector(".kb-print-header__url");
const built = address ? new URL(address.textContent.trim()) : null;
const content = document.querySelector(".md-content");

// Material's configuration gives the way from this page to the site's root.
function rootBase() {
  try {
    return JSON.parse(document.getElementById("__config").textContent).base;
  } catch {
    return null;
  }
}
const base = rootBase();
const liveRoot = base === null ? null : new URL(`${base}/`, location.href);
const builtRoot = base === null || !built ? null : new URL(`${base}/`, built);

function showQuery() {
  if (!address || !built) return;
  const url = new URL(built);
  url.search = location.search;
  // Commas left as they are, as in the address the comparison shows.
  address.textContent = url.href.replaceAll("%2C", ",");
}

// An address as a reader types it: no scheme, no « www. », no final slash.
const bare = (text) =>
  text
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, "")
    .replace(/^[a-z]+:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/$/, "");

function published(link) {
  const href = link.getAttribute("href");
  if (!href || href.startsWith("#")) return null;
  let url;
  try {
    url = new URL(href, location.href);
  } catch {
    return null;
  }
  if (liveRoot && builtRoot && url.href.startsWith(liveRoot.href)) url = new URL(url.href.slice(liveRoot.href.length), builtRoot);
  return url.protocol === "mailto:" ? url.href.slice("mailto:".length) : url.href;
}

function markLinks() {
  if (!content) return;
  for (const link of content.querySelectorAll("a[href]:not([data-kb-href])")) {
    // Buttons and permalinks are not printed.
    if (link.closest(".md-content__button, .md-button, .headerlink")) continue;
    const target = published(link);
    if (target === null) continue;
    link.dataset.kbHref = bare(link.textContent) === bare(target) ? "" : target;
  }
}

showQuery();
markLinks();
window.addEventListener("beforeprint", () => {
  showQuery();
  markLinks();
});
// The comparison and the search draw their links after the page has loaded.
if (content) new MutationObserver(markLinks).observe(content, { childList: true, subtree: true });
