// Two to four practice sheets side by side, and the « Comparer » choice on the lists.
//
// Without JavaScript, /comparer/ is a table of every practice (compare.md.j2).
// With it:
//   - /comparer/?fiches=a,b,c shows, above that table, one column per sheet and
//     one row per criterion. Each sheet is fetched (same origin) and read with
//     DOMParser: its metadata panel (the first `.admonition.info` holding a
//     <dl>) and its « Résultats et moyens » (h2#resultats) and « Reprendre
//     l'action » (h2#reprendre) sections. Imported nodes lose their ids and
//     permalinks; their links are rewritten against the sheet's address.
//   - every row of the list of all practices (/pratiques/) and of /comparer/
//     gets a checkbox; the choice (at most MAX) is kept in sessionStorage
//     across the pages of the lists, and a bar at the bottom opens the
//     comparison from two sheets chosen.

import { el, plural } from "./kb-dom.js";

const MAX = 4;
const STORE = "kb-compare";
// A practice id, as the build writes it (knowledge/slugs.py).
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PRACTICES = "pratiques/";
const COMPARE = "comparer/";

// Where the site lives, as kb-search.js finds it (the header field carries the
// relative base); failing that, two folders above this script.
const header = document.querySelector("[data-kb-search]");
const siteRoot = header ? new URL(header.dataset.base, location.href) : new URL("../../", import.meta.url);

// The path of the current page under the site root (« comparer/page/2/ »), or null.
function pagePath() {
  const path = decodeURIComponent(location.pathname);
  return path.startsWith(siteRoot.pathname) ? path.slice(siteRoot.pathname.length) : null;
}
const isListOf = (folder) => new RegExp(`^${folder}(?:page/\\d+/)?(?:index\\.html)?$`).test(pagePath() ?? "");


// The practice id a link points to (…/pratiques/<id>/), or null.
function practiceId(href, base = location.href) {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.origin !== siteRoot.origin || !url.pathname.startsWith(siteRoot.pathname + PRACTICES)) return null;
  const segments = url.pathname.slice(siteRoot.pathname.length + PRACTICES.length).split("/").filter(Boolean);
  const id = segments.length === 1 ? segments[0] : null;
  return id && ID.test(id) ? id : null;
}

export function compareUrl(ids) {
  const url = new URL(COMPARE, siteRoot);
  // Commas left as they are: the address stays readable when shared.
  url.search = `?fiches=${ids.join(",")}`;
  return url;
}

// --- the choice, kept for the session ------------------------------------------------------

function loadChoice() {
  try {
    const ids = JSON.parse(sessionStorage.getItem(STORE) ?? "[]");
    return Array.isArray(ids) ? ids.filter((id) => typeof id === "string" && ID.test(id)).slice(0, MAX) : [];
  } catch {
    return [];
  }
}
function saveChoice(ids) {
  try {
    sessionStorage.setItem(STORE, JSON.stringify(ids));
  } catch {
    // Storage refused (private browsing, quota): the choice lasts as long as the page.
  }
}

// Announcements for screen readers, one polite region for the whole page.
let announcer = null;
function announce(text) {
  if (!announcer) {
    announcer = el("div", { class: "kb-visually-hidden", role: "status", "aria-live": "polite" });
    document.body.append(announcer);
  }
  announcer.textContent = "";
  // A fresh text, even when it repeats, is read again.
  setTimeout(() => (announcer.textContent = text), 50);
}

function initChoice(table, shown) {
  const rows = [];
  for (const row of table.querySelectorAll("tbody tr")) {
    const cell = row.cells[0];
    const link = cell?.querySelector("a[href]");
    const id = link && practiceId(link.getAttribute("href"));
    if (!id) continue;
    const title = link.textContent.trim();
    const box = el("input", { type: "checkbox", class: "kb-compare-pick__box", value: id });
    const label = el("label", { class: "kb-compare-pick" }, box, el("span", { class: "kb-visually-hidden" }, `Comparer ${title}`));
    cell.prepend(label);
    rows.push({ id, title, box });
  }
  if (!rows.length) return null;

  let chosen = loadChoice();
  const count = el("span", { class: "kb-compare-bar__count" });
  const go = el("a", { class: "md-button md-button--primary kb-compare-bar__go" });
  const clear = el("button", { type: "button", class: "md-button kb-compare-bar__clear" }, "Effacer");
  const note = el("p", { class: "kb-compare-bar__note", "aria-live": "polite" });
  const bar = el(
    "div",
    { class: "kb-compare-bar", role: "region", "aria-label": "Fiches choisies pour la comparaison", hidden: true },
    el("div", { class: "kb-compare-bar__inner" }, count, el("span", { class: "kb-compare-bar__actions" }, go, clear)),
    note,
  );
  // After the list's block, so that it rests there once the list has been read.
  (table.closest("[data-kb-explorer], [data-kb-compare-table]") ?? table.parentElement).after(bar);

  const render = () => {
    for (const row of rows) row.box.checked = chosen.includes(row.id);
    const same = shown && shown.length === chosen.length && shown.every((id, i) => id === chosen[i]);
    bar.hidden = chosen.length < 2 || same;
    count.textContent = `${plural(chosen.length, "fiche choisie", "fiches choisies")} (${MAX} au plus)`;
    go.textContent = `Comparer les ${chosen.length} fiches choisies`;
    go.href = compareUrl(chosen).href;
    if (chosen.length < MAX) note.textContent = "";
  };
  for (const { id, title, box } of rows) {
    box.addEventListener("change", () => {
      chosen = loadChoice();
      if (box.checked && !chosen.includes(id)) {
        if (chosen.length >= MAX) {
          box.checked = false;
          note.textContent = `Vous avez déjà choisi ${MAX} fiches, le maximum : retirez-en une pour choisir « ${title} ».`;
          render();
          return;
        }
        chosen.push(id);
      } else if (!box.checked) {
        chosen = chosen.filter((other) => other !== id);
      }
      saveChoice(chosen);
      render();
      if (chosen.length < 2) announce(chosen.length ? `« ${title} » choisie ; choisissez au moins une autre fiche à comparer.` : "Aucune fiche choisie.");
      else announce(`${plural(chosen.length, "fiche choisie", "fiches choisies")}. Le bouton « Comparer » est en bas de la page.`);
    });
  }
  clear.addEventListener("click", () => {
    chosen = [];
    saveChoice(chosen);
    render();
    rows[0].box.focus();
    announce("Choix effacé : aucune fiche choisie.");
  });
  render();
  return {
    set(ids) {
      chosen = ids.slice(0, MAX);
      saveChoice(chosen);
      shown = chosen.slice();
      render();
    },
  };
}

// --- reading a practice sheet -------------------------------------------------------------

const DROP = "script, style, iframe, object, embed, template, link, meta, .headerlink";

// `nodes` copied into this document: links and sources rewritten against the
// sheet's address, ids and permalinks dropped, headings turned into bold lines
// (a cell holds no outline), tables turned into lists (a column is narrow).
function importNodes(nodes, pageUrl) {
  const fragment = document.createDocumentFragment();
  for (const node of nodes) fragment.append(document.importNode(node, true));
  for (const dropped of fragment.querySelectorAll(DROP)) dropped.remove();
  for (const node of fragment.querySelectorAll("*")) {
    for (const attribute of [...node.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name === "id" || name.startsWith("on") || name.startsWith("data-")) node.removeAttribute(attribute.name);
    }
    for (const name of ["href", "src"]) {
      const value = node.getAttribute(name);
      if (value === null) continue;
      try {
        const url = new URL(value, pageUrl);
        if (["http:", "https:", "mailto:"].includes(url.protocol)) node.setAttribute(name, url.href);
        else node.removeAttribute(name);
      } catch {
        node.removeAttribute(name);
      }
    }
  }
  for (const heading of fragment.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    heading.replaceWith(el("p", { class: "kb-compare__sub" }, el("strong", {}, ...heading.childNodes)));
  }
  for (const table of fragment.querySelectorAll("table")) table.replaceWith(tableAsList(table));
  return fragment;
}

// « Objectif | Valeur | Date | Source » rows as « objectif : valeur (date ; Source : …) ».
function tableAsList(table) {
  const titles = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  const items = [...table.querySelectorAll("tbody tr")].map((row) => {
    const [first, second, ...rest] = [...row.cells];
    const item = el("li", {}, ...(first?.childNodes ?? []));
    if (second) item.append(" : ", ...second.childNodes);
    const details = rest
      .map((cell, i) => ({ cell, title: titles[i + 2] ?? "" }))
      .filter(({ cell }) => !["", "—"].includes(cell.textContent.trim()));
    if (details.length) {
      const small = el("span", { class: "kb-compare__detail" }, " (");
      details.forEach(({ cell, title }, i) => {
        if (i) small.append(" ; ");
        if (title && !/^date$/i.test(title)) small.append(`${title.toLowerCase()} : `);
        small.append(...cell.childNodes);
      });
      small.append(")");
      item.append(small);
    }
    return item;
  });
  return el("ul", { class: "kb-compare__facts" }, ...items);
}

// The nodes after the heading up to the next heading of its level or above.
function section(doc, id) {
  const heading = doc.getElementById(id);
  if (!heading) return [];
  const level = Number(heading.tagName.slice(1)) || 2;
  const nodes = [];
  for (let node = heading.nextElementSibling; node; node = node.nextElementSibling) {
    if (/^H[1-6]$/.test(node.tagName) && Number(node.tagName.slice(1)) <= level) break;
    nodes.push(node);
  }
  return nodes;
}

// The metadata panel: { "Niveau de preuve": [dd, dd], "Publics": [dd], … }.
function metadata(doc) {
  const panel = [...doc.querySelectorAll(".md-content .admonition.info, .admonition.info")].find((box) => box.querySelector("dl"));
  const fields = new Map();
  if (!panel) return fields;
  let current = null;
  for (const node of panel.querySelector("dl").children) {
    if (node.tagName === "DT") {
      current = node.textContent.trim();
      if (!fields.has(current)) fields.set(current, []);
    } else if (node.tagName === "DD" && current) {
      fields.get(current).push(node);
    }
  }
  return fields;
}

const contents = (nodes) => nodes.flatMap((node) => [...node.childNodes]);

// « Niveau de preuve »: the badge, then its justification, in a second <dd>
// or after the badge in the same one (« badge<br>justification »).
function evidenceCell(dds, url) {
  if (!dds.length) return null;
  const nodes = contents(dds);
  let split = nodes.findIndex((node) => node.nodeType === Node.ELEMENT_NODE && node.matches(".kb-evidence"));
  split = split < 0 ? dds[0].childNodes.length : split + 1;
  const why = nodes.slice(split);
  while (why.length && (why[0].nodeName === "BR" || (why[0].nodeType === Node.TEXT_NODE && !why[0].textContent.trim()))) why.shift();
  const clone = (list) => list.map((node) => node.cloneNode(true));
  return importNodes(
    [
      el("div", { class: "kb-compare__badge" }, ...clone(nodes.slice(0, split))),
      why.length ? el("div", { class: "kb-compare__why" }, ...clone(why)) : null,
    ].filter(Boolean),
    url,
  );
}

async function readPractice(id) {
  const url = new URL(`${PRACTICES}${id}/`, siteRoot);
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch {
    return { id, error: "unreachable" };
  }
  if (!response.ok) return { id, error: response.status === 404 ? "missing" : "unreachable" };
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const fields = metadata(doc);
  const title = doc.querySelector(".md-content h1, h1");
  if (!title || !fields.size) return { id, error: "missing" };
  const import_ = (nodes) => (nodes.length ? importNodes(nodes, url) : null);
  const field = (name) => import_(contents(fields.get(name) ?? []));
  const evidence = fields.get("Niveau de preuve") ?? [];
  return {
    id,
    url,
    title: import_([...title.childNodes]),
    titleText: title.textContent.replace(/¶\s*$/, "").trim(),
    rows: {
      evidence: evidenceCell(evidence, url),
      audiences: field("Publics"),
      territories: field("Territoires"),
      period: field("Période"),
      status: field("Statut"),
      results: import_(section(doc, "resultats")),
      transfer: import_(section(doc, "reprendre")),
    },
  };
}

// --- the comparison -------------------------------------------------------------------------

const CRITERIA = [
  ["evidence", "Niveau de preuve"],
  ["audiences", "Publics"],
  ["territories", "Territoires"],
  ["period", "Période"],
  ["status", "Statut"],
  ["results", "Résultats et moyens"],
  ["transfer", "Reprendre l'action"],
];

function requestedIds() {
  const raw = new URLSearchParams(location.search).get("fiches");
  if (raw === null) return null;
  const ids = [];
  for (const part of raw.split(/[,\s]+/)) {
    const id = part.trim().toLowerCase();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

async function initComparison(anchor, choice) {
  const requested = requestedIds();
  if (requested === null) return;
  const section_ = el("section", { class: "kb-compare", "aria-labelledby": "kb-compare-title" });
  const title = el("h2", { id: "kb-compare-title", class: "kb-compare__title", tabindex: "-1" }, "Comparaison des fiches");
  const notes = el("div", { class: "kb-compare__notes" });
  const body = el("div", { class: "kb-compare__body" }, el("p", { class: "kb-compare__loading" }, "Chargement des fiches…"));
  section_.append(title, notes, body);
  anchor.before(section_);

  const invalid = requested.filter((id) => !ID.test(id));
  const wanted = requested.filter((id) => ID.test(id));
  const kept = wanted.slice(0, MAX);
  const read = await Promise.all(kept.map(readPractice));
  let practices = read.filter((p) => !p.error);

  const noteList = [];
  if (wanted.length > MAX) noteList.push(`Vous avez demandé ${wanted.length} fiches : seules les ${MAX} premières sont comparées.`);
  for (const id of invalid) noteList.push(`Fiche introuvable : ${id}`);
  for (const p of read.filter((p) => p.error === "missing")) noteList.push(`Fiche introuvable : ${p.id}`);
  for (const p of read.filter((p) => p.error === "unreachable")) noteList.push(`Fiche inaccessible pour le moment : ${p.id}`);
  notes.replaceChildren(...noteList.map((text) => el("p", { class: "kb-compare__note" }, text)));

  const status = el("span", { class: "kb-compare__copied", role: "status", "aria-live": "polite" });
  const copy = el("button", { type: "button", class: "md-button kb-compare__copy" }, "Copier le lien");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = "Lien copié.";
    } catch {
      status.textContent = `Copie refusée par le navigateur ; le lien : ${location.href}`;
    }
  });

  const render = () => {
    const ids = practices.map((p) => p.id);
    const url = compareUrl(ids);
    if (location.search !== url.search) history.replaceState(history.state, "", url.pathname + url.search + location.hash);
    choice?.set(ids);
    if (practices.length < 2) {
      title.textContent = "Comparaison des fiches";
      body.replaceChildren(
        el(
          "p",
          { class: "kb-compare__few" },
          practices.length
            ? `Une seule fiche à comparer (« ${practices[0].titleText} ») : choisissez de 2 à 4 fiches dans le tableau ci-dessous ou dans `
            : "Aucune fiche à comparer : choisissez de 2 à 4 fiches dans le tableau ci-dessous ou dans ",
          el("a", { href: new URL(PRACTICES, siteRoot).href }, "la liste de toutes les fiches"),
          ".",
        ),
      );
      return;
    }
    title.textContent = `Comparaison de ${practices.length} fiches`;
    const table = el("table", { class: "kb-compare__table" });
    table.append(el("caption", { class: "kb-visually-hidden" }, `Comparaison de ${practices.length} fiches, un critère par ligne`));
    const headRow = el("tr", {}, el("td", { class: "kb-compare__corner" }));
    for (const p of practices) {
      const remove = el("button", { type: "button", class: "kb-compare__remove", "aria-label": `Retirer « ${p.titleText} » de la comparaison` }, "Retirer");
      remove.addEventListener("click", () => {
        practices = practices.filter((other) => other !== p);
        render();
        announce(`« ${p.titleText} » retirée de la comparaison.`);
        title.focus();
      });
      headRow.append(
        el("th", { scope: "col" }, el("a", { href: p.url.href, class: "kb-compare__name" }, p.title.cloneNode(true)), el("div", {}, remove)),
      );
    }
    table.append(el("thead", {}, headRow));
    const tbody = el("tbody");
    for (const [key, label] of CRITERIA) {
      const row = el("tr", { "data-criterion": key }, el("th", { scope: "row" }, label));
      for (const p of practices) {
        const value = p.rows[key];
        row.append(el("td", {}, value && value.textContent.trim() ? value.cloneNode(true) : el("span", { class: "kb-compare__none", title: "Non renseigné" }, "—")));
      }
      tbody.append(row);
    }
    table.append(tbody);
    const frame = el(
      "div",
      { class: "kb-compare__frame", tabindex: "0", role: "region", "aria-label": `Tableau de comparaison des ${practices.length} fiches (défile horizontalement)` },
      table,
    );
    // Said only when the frame is narrower than the table (a phone, four sheets).
    const hint = el("p", { class: "kb-compare__hint", hidden: true }, `Faites défiler le tableau vers la droite pour voir les ${practices.length} fiches.`);
    body.replaceChildren(el("div", { class: "kb-compare__actions" }, copy, status), hint, frame);
    const fits = () => (hint.hidden = frame.scrollWidth <= frame.clientWidth + 1);
    new ResizeObserver(fits).observe(frame);
    fits();
  };
  render();
  title.focus();
}

// --- start ----------------------------------------------------------------------------------

function init() {
  const onCompare = document.querySelector("[data-kb-compare-table], [data-kb-compare]") || isListOf(COMPARE);
  const onList = document.querySelector("[data-kb-explorer]") || isListOf(PRACTICES);
  if (!onCompare && !onList) return;
  const article = document.querySelector(".md-content .md-typeset") ?? document.body;
  const table = article.querySelector("[data-kb-compare-table] table, [data-kb-explorer] table") ?? article.querySelector("table");
  const choice = table ? initChoice(table, null) : null;
  if (onCompare) {
    // Above the sentence that explains the choice, right under the page's title.
    const anchor = article.querySelector("[data-kb-compare]") ?? article.querySelector("h1")?.nextElementSibling ?? table;
    if (anchor) initComparison(anchor, choice);
  }
}

init();
