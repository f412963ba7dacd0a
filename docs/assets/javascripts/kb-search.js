// Search of the knowledge base, on Pagefind's index (built after each build).
// Three entry points share the same facets: the header field, the search page
// (/recherche/?q=…&theme=…) and the filters above the list of all practices.
// Facets combine with AND: each count is the number of results you get by
// adding that value to the current selection.

const FACETS = [
  ["type", "Type de page"],
  ["theme", "Thème"],
  ["territoire", "Territoire"],
  ["public", "Public"],
  ["organisation", "Organisation"],
  ["nature", "Nature"],
  ["statut", "Statut"],
  ["periode", "Période"],
];
const FACET_KEYS = FACETS.map(([key]) => key);
const PAGE_SIZE = 10;

const header = document.querySelector("[data-kb-search]");
const siteRoot = new URL(header ? header.dataset.base : ".", location.href);

// Words on nearly every French page. Pagefind keeps the pages holding every word
// of the query, so dropping these barely changes the results, but spares the
// reader's phone their index chunks (the largest there are) and their scoring.
// A query made only of such words is kept whole.
const STOP_WORDS = new Set(
  "a à au aux avec ce ces d dans de des du en et l la le les leur leurs ou par pour qu que qui sa se ses son sur un une".split(" "),
);
export function searchTerms(query) {
  const words = query.split(/[\s'’]+/).filter(Boolean);
  const kept = words.filter((word) => !STOP_WORDS.has(word.toLowerCase()));
  return kept.length ? kept.join(" ") : query.trim();
}

let loading;
function pagefind() {
  loading ??= import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (pf) => {
    await pf.options({ baseUrl: siteRoot.pathname, excerptLength: 24 });
    await pf.init();
    return pf;
  });
  return loading;
}

// --- small DOM helpers: text is always set as text, never as HTML ----------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// Pagefind's excerpts are escaped text with <mark> around matched words; keep
// exactly that and nothing else.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  const out = el("p", { class: "kb-result__excerpt" });
  for (const node of parsed.childNodes) {
    out.append(node.nodeName === "MARK" ? el("mark", {}, node.textContent) : node.textContent);
  }
  return out;
}

function resultItem(data) {
  return el(
    "li",
    { class: "kb-result" },
    el("a", { class: "kb-result__link", href: data.url },
      el("span", { class: "kb-result__kind" }, data.meta.kind || "Page"),
      el("span", { class: "kb-result__title" }, data.meta.title || data.url)),
    excerpt(data.excerpt || ""),
  );
}

function plural(count, one, many) {
  return `${count} ${count > 1 ? many : one}`;
}

function debounce(fn, delay) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
}

// Arrow keys move between the links of a list; Escape goes back to the field.
function arrowKeys(list, field, onEscape) {
  list.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    const index = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index < links.length - 1) links[index + 1].focus();
    else if (event.key === "ArrowUp") (index > 0 ? links[index - 1] : field).focus();
    else if (event.key === "Escape") onEscape();
    else return;
    event.preventDefault();
  });
}

// --- the header field ------------------------------------------------------

function initHeader() {
  if (!header) return;
  const field = header.querySelector("input");
  const panel = header.querySelector(".kb-search__panel");
  const list = header.querySelector(".kb-search__list");
  const status = header.querySelector(".kb-search__status");
  const all = header.querySelector(".kb-search__all");
  const searchPage = all.getAttribute("href");
  let sequence = 0;

  const close = () => {
    panel.hidden = true;
  };
  const show = debounce(async () => {
    const query = field.value.trim();
    const mine = ++sequence;
    if (!query) return close();
    const pf = await pagefind();
    const search = await pf.search(searchTerms(query));
    const data = await Promise.all(search.results.slice(0, 6).map((result) => result.data()));
    if (mine !== sequence) return;
    list.replaceChildren(...data.map(resultItem));
    status.textContent = search.results.length ? plural(search.results.length, "résultat", "résultats") : "Aucun résultat";
    all.href = `${searchPage}?q=${encodeURIComponent(query)}`;
    panel.hidden = false;
  }, 100);

  field.addEventListener("input", show);
  field.addEventListener("focus", () => field.value.trim() && show());
  field.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !panel.hidden) {
      list.querySelector("a")?.focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  arrowKeys(list, field, () => {
    close();
    field.focus();
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      field.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!header.contains(event.target)) close();
  });
}

// --- facets, shared by the search page and the explorer ----------------------

function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of FACET_KEYS) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return { query: params.get("q") || "", filters };
}

function writeState(state) {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  for (const key of FACET_KEYS) for (const value of state.filters[key] || []) params.append(key, value);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function toggle(state, key, value, checked) {
  const values = new Set(state.filters[key] || []);
  if (checked) values.add(value);
  else values.delete(value);
  if (values.size) state.filters[key] = [...values];
  else delete state.filters[key];
}

// counts: {facet: {value: count}}. Selected values stay listed even at zero.
function renderFacets(container, counts, state, onChange, hidden = []) {
  const groups = [];
  for (const [key, label] of FACETS) {
    if (hidden.includes(key)) continue;
    const values = { ...(counts[key] || {}) };
    for (const selected of state.filters[key] || []) values[selected] ??= 0;
    const entries = Object.entries(values).filter(([value, count]) => count > 0 || (state.filters[key] || []).includes(value));
    if (!entries.length) continue;
    entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "fr"));
    const boxes = entries.map(([value, count]) => {
      const checked = (state.filters[key] || []).includes(value);
      const box = el("input", { type: "checkbox", name: key, value, checked });
      box.addEventListener("change", () => onChange(key, value, box.checked));
      return el("label", { class: "kb-facet__value" }, box, ` ${value} `, el("span", { class: "kb-facet__count" }, `(${count})`));
    });
    // Long groups (territories, organisations) show their ten largest values first.
    const fieldset = el("fieldset", { class: "kb-facet" }, el("legend", {}, label), ...boxes.slice(0, 10));
    if (boxes.length > 10) {
      const more = el("button", { type: "button", class: "md-button kb-facet__more" }, `Afficher les ${boxes.length} valeurs`);
      more.addEventListener("click", () => more.replaceWith(...boxes.slice(10)));
      fieldset.append(more);
    }
    groups.push(fieldset);
  }
  container.replaceChildren(...groups);
}

// --- the search page -----------------------------------------------------------

function initSearchPage() {
  const page = document.getElementById("kb-search-page");
  if (!page) return;
  page.hidden = false;
  const form = page.querySelector("form");
  const field = form.querySelector("input");
  const status = page.querySelector(".kb-results__status");
  const facets = page.querySelector(".kb-facets");
  const list = page.querySelector(".kb-results");
  const more = page.querySelector(".kb-more");
  const state = readState();
  field.value = state.query;
  let results = [];
  let shown = 0;
  let sequence = 0;

  const showMore = async () => {
    const batch = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((result) => result.data()));
    list.append(...batch.map(resultItem));
    shown += batch.length;
    more.hidden = shown >= results.length;
  };

  const run = async () => {
    const mine = ++sequence;
    writeState(state);
    const pf = await pagefind();
    // Pagefind returns counts per filter value only once its filter index is
    // loaded; the header field never needs it, so only this page loads it.
    const allFilters = await pf.filters();
    const hasFilters = Object.keys(state.filters).length > 0;
    if (!state.query && !hasFilters) {
      renderFacets(facets, allFilters, state, change);
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "Tapez votre recherche ou choisissez un filtre.";
      return;
    }
    const search = await pf.search(state.query ? searchTerms(state.query) : null, { filters: state.filters });
    if (mine !== sequence) return;
    results = search.results;
    shown = 0;
    list.replaceChildren();
    renderFacets(facets, search.filters, state, change);
    await showMore();
    // Announced once the results are on the page.
    status.textContent = results.length ? plural(results.length, "résultat", "résultats") : "Aucun résultat : retirez un filtre ou essayez un autre mot.";
  };
  const change = (key, value, checked) => {
    toggle(state, key, value, checked);
    run();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.query = field.value.trim();
    run();
  });
  field.addEventListener("input", debounce(() => {
    state.query = field.value.trim();
    run();
  }, 200));
  more.addEventListener("click", showMore);
  arrowKeys(list, field, () => field.focus());
  run();
}

// --- the explorer: filters above the list of all practices -----------------------
// The list is split into pages of 100, readable without JavaScript. The filters
// come from Pagefind's filter index (the same counts as the search page), so the
// list page fetches nothing that grows with the number of practices; choosing a
// value opens the search page with that filter, where filters combine.

async function initExplorer() {
  const list = document.querySelector("[data-kb-explorer]");
  if (!list) return;
  const pf = await pagefind();
  const counts = await pf.filters();
  const panel = el("div", { class: "kb-explorer" });
  const facets = el("div", { class: "kb-facets kb-facets--inline" });
  panel.append(el("p", { class: "kb-explorer__title" }, "Filtrer les fiches"), facets);
  list.before(panel);
  const state = { query: "", filters: {} };
  renderFacets(facets, counts, state, (key, value, checked) => {
    toggle(state, key, value, checked);
    const target = new URL("recherche/", siteRoot);
    for (const [name, values] of Object.entries(state.filters)) for (const v of values) target.searchParams.append(name, v);
    location.assign(target);
  }, ["type"]);
}

initHeader();
initSearchPage();
initExplorer();
