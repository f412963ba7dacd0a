// Search of the knowledge base, on Pagefind's index (built after each build)
// and on two files the build writes beside the pages (recherche/): the site's
// vocabulary, one file per first character, and the glossary's synonym groups.
//
// The header field and the search page (/recherche/?q=…&theme=…) share one
// code path, `searchSite`:
//   1. `analyse` checks each word of the query against the vocabulary before
//      Pagefind sees it (Pagefind answers an unknown word with the pages of its
//      longest indexed prefix, often a stop word: « parainage » found « par »).
//      A word is known when a word of the site is it or starts with it (readers
//      type prefixes). An unknown word is corrected when one word of the site
//      is clearly the closest, else the closest are suggested; a word close to
//      nothing is not searched.
//   2. A phrase of a synonym group (« gpec », « gestion previsionnelle des
//      emplois et des competences ») is searched with each phrase of its group;
//      the results are merged by page.
//   3. `find` asks Pagefind for the pages holding all the words; when fewer
//      than FEW do, the pages holding the most of them follow, each saying
//      which words it lacks. Among pages holding as many words, the practice
//      sheets and the other pages come first, by relevance, and the pages
//      that list others (home, indexes) last.
// Facets combine with AND: each count is the number of results you get by
// adding that value to the current selection. The filters above the list of
// all practices open the search page.

import { el, plural } from "./kb-dom.js";

const FACETS = [
  ["type", "Type de page"],
  ["theme", "Thème"],
  ["territoire", "Territoire"],
  ["public", "Public"],
  ["organisation", "Organisation"],
  ["nature", "Nature"],
  ["preuve", "Niveau de preuve"],
  ["statut", "Statut"],
  ["parcours", "Parcours"],
  ["periode", "Période"],
];
const FACET_KEYS = FACETS.map(([key]) => key);
const PAGE_SIZE = 10;
const HEADER_RESULTS = 6;
// Fewer pages than this holding all the words: the pages holding some follow.
const FEW = 5;
// Written by the build (knowledge/search_data.py, a test keeps them in step).
const VOCABULARY_DIR = "recherche/vocabulaire/";
const SYNONYMS_FILE = "recherche/synonymes.json";
// Narrow screens: the facets fold into a « Filtrer » panel (kb.css uses the same width).
const NARROW = matchMedia("(max-width: 59.9375em)");

const header = document.querySelector("[data-kb-search]");
const siteRoot = new URL(header ? header.dataset.base : ".", location.href);

// --- words ---------------------------------------------------------------------

// As the build folds them (knowledge/slugs.py): accents and case removed, then
// split on anything that is not an ASCII letter or digit.
export function fold(text) {
  return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
}
export function words(text) {
  return fold(text).match(/[a-z0-9]+/g) ?? [];
}

// Words on nearly every French page. Pagefind keeps the pages holding every word
// of the query, so dropping these barely changes the results, but spares the
// reader's phone their index chunks (the largest there are) and their scoring.
// A query made only of such words is kept whole.
const STOP_WORDS = new Set(
  "a au aux avec ce ces d dans de des du en et l la le les leur leurs ou par pour qu que qui sa se ses son sur un une".split(" "),
);
const isStop = (word) => STOP_WORDS.has(fold(word));
export function searchTerms(query) {
  const kept = query.split(/[\s'’]+/).filter((word) => word && !isStop(word));
  return kept.length ? kept.join(" ") : query.trim();
}

// Optimal string alignment distance (a swap of two letters counts one), or
// max + 1 as soon as it must exceed max.
export function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

// The vocabulary: [[word, count], …] sorted by word, all starting with one character.
function lowerBound(entries, word) {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (entries[middle][0] < word) low = middle + 1;
    else high = middle;
  }
  return low;
}
function startsSomeWord(entries, prefix) {
  const index = lowerBound(entries, prefix);
  return index < entries.length && entries[index][0].startsWith(prefix);
}
// French endings Pagefind's stemmer removes (« accompagnees » finds « accompagnement »).
const ENDINGS = [["aux", "al"], ["ees", ""], ["ee", ""], ["es", ""], ["ent", ""], ["er", ""], ["e", ""], ["s", ""], ["x", ""]];
export function isKnown(word, entries) {
  if (word.length < 2 || startsSomeWord(entries, word)) return true;
  return ENDINGS.some(([ending, replacement]) => {
    const stem = word.slice(0, -ending.length) + replacement;
    return word.endsWith(ending) && stem.length >= 4 && startsSomeWord(entries, stem);
  });
}

// How far a word may be from what was typed. Words of four letters or fewer,
// often acronyms, have too many neighbours (« siae » is one letter from « site »).
const maxDistance = (word) => (word.length <= 4 ? 0 : word.length <= 7 ? 1 : 2);

// Forms of one word for Pagefind's stemmer (« convention », « conventions »;
// « echange », « echanger »): one suggestion, not two.
const INFLECTIONS = ["ees", "ent", "es", "ee", "er", "s", "x", "e"];
const lemma = (word) => {
  const ending = INFLECTIONS.find((end) => word.endsWith(end) && word.length - end.length >= 4);
  return ending ? word.slice(0, -ending.length) : word;
};
const sameWord = (a, b) => lemma(a) === lemma(b) || INFLECTIONS.some((end) => a === b + end || b === a + end);

// Whether words of the site other than the forms of `word` begin with it.
export function beginsOtherWords(word, entries) {
  for (let i = lowerBound(entries, word); i < entries.length && entries[i][0].startsWith(word); i++) {
    if (entries[i][0] !== word && !sameWord(entries[i][0], word)) return true;
  }
  return false;
}

// The closest words of the site, closest first, then the most frequent; the
// forms of one word count as one, shown as its most frequent form.
export function closestWords(word, entries, limit = 3) {
  const max = maxDistance(word);
  if (!max) return [];
  const groups = [];
  for (const [candidate, count] of entries) {
    if (candidate.length < 3 || STOP_WORDS.has(candidate)) continue;
    const distance = editDistance(word, candidate, max);
    if (distance > max) continue;
    const group = groups.find((g) => g.forms.some((form) => sameWord(form, candidate)));
    if (!group) groups.push({ word: candidate, distance, count, best: count, forms: [candidate] });
    else {
      if (count > group.best) Object.assign(group, { word: candidate, best: count });
      group.forms.push(candidate);
      group.distance = Math.min(group.distance, distance);
      group.count += count;
    }
  }
  const found = groups.map(({ word: w, distance, count }) => ({ word: w, distance, count }));
  found.sort((a, b) => a.distance - b.distance || b.count - a.count || (a.word < b.word ? -1 : 1));
  return found.slice(0, limit);
}

// The suggestion searched at once, if one is clearly best: the only one at
// distance 1; or at distance 1 and four times as frequent as any other there
// (« accompagnment »: accompagnement 11, accompagnent 2); or closer than every
// other and more frequent than each of them.
export function clearlyBest(word, candidates) {
  if (!candidates.length) return null;
  const [best, ...others] = candidates;
  const rivals = others.filter((other) => other.distance === best.distance);
  if (best.distance === 1 && rivals.every((other) => best.count >= 4 * other.count)) return best.word;
  if (!rivals.length && others.every((other) => other.count < best.count)) return best.word;
  return null;
}

// --- the site's search data (recherche/) ------------------------------------------

async function fetchJson(path) {
  try {
    const response = await fetch(new URL(path, siteRoot));
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

// Without the synonyms file the build wrote no search data: the query goes to
// Pagefind as typed. With it, a missing vocabulary file means that no word of
// the site starts with that character.
let siteData;
function searchData() {
  siteData ??= fetchJson(SYNONYMS_FILE).then((synonyms) => {
    if (!synonyms || !Array.isArray(synonyms.groups)) return null;
    const chunks = new Map();
    return {
      groups: synonyms.groups,
      vocabulary(first) {
        if (!chunks.has(first)) chunks.set(first, fetchJson(`${VOCABULARY_DIR}${first}.json`).then((data) => data?.words ?? []));
        return chunks.get(first);
      },
    };
  });
  return siteData;
}

// --- 1. analyse: what to search ------------------------------------------------------

const contentWords = (text) => words(text).filter((word) => !STOP_WORDS.has(word));
// Synonym phrases match whatever the number: « quinquagenaire » is in « quinquagenaires ».
const singular = (word) => (word.length > 3 ? word.replace(/[sx]$/, "") : word);

// Where a phrase of a synonym group starts at token `start` and ends on a token's
// end: the longest, as [group, number of tokens].
function synonymAt(tokens, start, groups) {
  let found = null;
  for (const group of groups) {
    for (const phrase of group) {
      const wanted = contentWords(phrase);
      if (!wanted.length) continue;
      const got = [];
      let end = start;
      while (end < tokens.length && got.length < wanted.length) got.push(...tokens[end++].words);
      const same = got.length === wanted.length && got.every((word, i) => singular(word) === singular(wanted[i]));
      if (same && (!found || end - start > found[1])) found = [group, end - start];
    }
  }
  return found;
}

// Only the phrases of a group that can find pages the others do not: one
// phrase per set of words (« clauses sociales » is « clause sociale » for
// Pagefind's stemmer), and none holding all the words of another (« clause
// sociale d'insertion » finds no page « clause sociale » misses). The phrase
// typed is kept. Each phrase searched costs an index chunk per new word.
function prune(unit) {
  const sets = unit.alternatives.map((query) => query.split(" ").map(singular));
  // Pagefind finds a word as the beginning of longer ones: « interim » finds « interimaire » too.
  const within = (a, b) => a.every((word) => b.some((other) => other.startsWith(word)));
  const redundant = (i) =>
    sets.some((other, j) => j !== i && within(other, sets[i]) && (!within(sets[i], other) || j === unit.typed || (j < i && i !== unit.typed)));
  const kept = unit.alternatives.map((_, i) => i === unit.typed || !redundant(i));
  const pick = (values) => values.filter((_, i) => kept[i]);
  return { ...unit, alternatives: pick(unit.alternatives), phrases: pick(unit.phrases), typed: unit.typed < 0 ? -1 : kept.slice(0, unit.typed).filter(Boolean).length };
}

// The plan of a query: its units, each found when a page holds one of its
// alternatives (a unit is a word, or a phrase with its synonyms); the typos
// corrected and the words suggested.
//   data: { groups, vocabulary(first) → Promise<[[word, count], …]> } or null
export async function analyse(query, data) {
  const tokens = query
    .split(/[\s'’]+/)
    .map((typed) => ({ typed, words: words(typed) }))
    .filter((token) => token.words.length);
  const content = tokens.filter((token) => !(token.words.length === 1 && STOP_WORDS.has(token.words[0])));
  const plan = { query: query.trim(), units: [], fixes: [], suggestions: [], corrected: query.trim() };
  if (!content.length) return plan;
  if (!data) {
    plan.units = content.map((token) => ({ label: token.typed, alternatives: [token.typed], phrases: [token.typed], typed: 0 }));
    return plan;
  }
  const known = async (word) => isKnown(word, await data.vocabulary(word[0]));
  // Words of a synonym phrase are searched through their group, whatever the vocabulary says.
  const inPhrase = new Set();
  for (let i = 0; i < content.length; i++) {
    const match = synonymAt(content, i, data.groups);
    if (match) for (let j = i; j < i + match[1]; j++) inPhrase.add(content[j]);
  }
  for (const token of content) {
    if (inPhrase.has(token)) continue;
    for (const [index, word] of token.words.entries()) {
      if (await known(word)) continue;
      const candidates = closestWords(word, await data.vocabulary(word[0]));
      const best = clearlyBest(word, candidates);
      if (best) {
        plan.fixes.push({ typed: word, used: best });
        token.words[index] = best;
        token.fixed = true;
      } else {
        token.lost = true;
        if (candidates.length) plan.suggestions.push({ typed: word, words: candidates.map((c) => c.word) });
      }
    }
  }
  // Units, left to right; a synonym phrase is one unit, searched with each phrase
  // of its group whose words are all on the site.
  for (let i = 0; i < content.length; ) {
    const token = content[i];
    const match = token.lost ? null : synonymAt(content, i, data.groups);
    if (match) {
      const span = content.slice(i, i + match[1]);
      const label = span.map((t) => t.words.join(" ")).join(" ");
      const typed = contentWords(label).map(singular).join(" ");
      const unit = { label, alternatives: [], phrases: [], typed: -1 };
      for (const phrase of match[0]) {
        const query = contentWords(phrase).join(" ");
        if (!query || unit.alternatives.includes(query) || !(await Promise.all(query.split(" ").map(known))).every(Boolean)) continue;
        // Pagefind finds a word as the beginning of longer ones: a one-word synonym
        // that begins other words of the site (« ave » → « avec », « parrain » →
        // « parrainage ») would find them too. The words typed are the reader's.
        const typedHere = query.split(" ").map(singular).join(" ") === typed;
        if (!typedHere && !query.includes(" ") && beginsOtherWords(query, await data.vocabulary(query[0]))) continue;
        if (typedHere && unit.typed < 0) unit.typed = unit.alternatives.length;
        unit.alternatives.push(query);
        unit.phrases.push(phrase);
      }
      plan.units.push(prune(unit));
      i += match[1];
    } else {
      const label = token.fixed ? token.words.join(" ") : token.typed;
      plan.units.push(token.lost ? { label: token.typed, alternatives: [] } : { label, alternatives: [label], phrases: [label], typed: 0 });
      i += 1;
    }
  }
  if (plan.fixes.length) {
    plan.corrected = tokens.map((token) => (token.fixed ? token.words.join(" ") : token.typed)).join(" ");
    plan.fixes = plan.fixes.filter((fix, i) => plan.fixes.findIndex((f) => f.typed === fix.typed) === i);
  }
  return plan;
}

// --- 2. find: ask Pagefind ------------------------------------------------------------

let loading;
function pagefind() {
  loading ??= import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (pf) => {
    await pf.options({ baseUrl: siteRoot.pathname, excerptLength: 24 });
    await pf.init();
    return pf;
  });
  return loading;
}

// The list pages among a query's results (the home page and each collection's
// index, marked « liste » by main.html), to put them last: the same query again,
// on the list pages only (a filter file of a few bytes; Pagefind scores only the
// pages the filter keeps). Not a search of the filter alone: Pagefind then
// fetches every chunk of its index.
const LIST_FILTER = { liste: "oui" };
async function listPagesOf(pf, query) {
  const search = await pf.search(query, { filters: LIST_FILTER });
  return search.results.map((result) => result.id);
}

function addCounts(total, counts, sign) {
  for (const [key, values] of Object.entries(counts || {})) {
    total[key] ??= {};
    for (const [value, count] of Object.entries(values)) total[key][value] = (total[key][value] || 0) + sign * count;
  }
}

// Pagefind's search, and the list pages among its results.
async function searchOne(pf, query, filters) {
  const [search, lists] = await Promise.all([pf.search(query, { filters }), listPagesOf(pf, query)]);
  return { ...search, lists };
}

// Pages holding any of `queries` (each a Pagefind query: pages holding all its
// words), with the score each query gave them, per word of the query so that
// a long phrase does not outweigh a short one. With `counts`, the facet counts
// of that union.
async function union(pf, queries, filters, counts) {
  const searches = await Promise.all(queries.map((query) => searchOne(pf, query, filters)));
  const pages = new Map();
  searches.forEach((search, index) => {
    const length = queries[index].split(" ").length;
    for (const result of search.results) {
      const score = result.score / length;
      const seen = pages.get(result.id);
      if (!seen) pages.set(result.id, { result, score, scores: new Map([[index, score]]), results: new Map([[index, result]]) });
      else {
        seen.scores.set(index, score);
        seen.results.set(index, result);
        if (score > seen.score) Object.assign(seen, { result, score });
      }
    }
  });
  let facetCounts = null;
  if (counts) {
    const found = searches.map((search, index) => [search, queries[index]]).filter(([search]) => search.results.length);
    facetCounts = (await exactCounts(pf, found, filters)) ?? largestCounts(found);
  }
  return { pages, counts: facetCounts, lists: new Set(searches.flatMap((search) => search.lists)) };
}

// Inclusion–exclusion over the queries that found pages: a subset's pages are
// those of one query made of all their words; a subset holding one without
// pages has none. At most 40 searches (each scores its pages), else null.
const MOST_SEARCHES = 40;
async function exactCounts(pf, found, filters) {
  const total = {};
  const empty = [];
  let searches = 0;
  for (let mask = 1; mask < 1 << found.length; mask++) {
    if (empty.some((e) => (mask & e) === e)) continue;
    const members = found.filter((_, i) => mask & (1 << i));
    if (members.length > 1 && ++searches > MOST_SEARCHES) return null;
    const search = members.length === 1 ? members[0][0] : await pf.search(members.map(([, q]) => q).join(" "), { filters });
    if (!search.results.length) empty.push(mask);
    else addCounts(total, search.filters, members.length % 2 ? 1 : -1);
  }
  return total;
}

// The largest count of each value among the queries: a lower bound.
function largestCounts(found) {
  const total = {};
  for (const [search] of found)
    for (const [key, values] of Object.entries(search.filters || {}))
      for (const [value, count] of Object.entries(values)) (total[key] ??= {})[value] = Math.max(total[key]?.[value] || 0, count);
  return total;
}

// Every choice of one alternative per unit (at most 8), as [[unit, alternative], …].
function combinations(units) {
  let out = [[]];
  units.forEach((unit, u) => {
    out = out.flatMap((chosen) => unit.alternatives.map((_, a) => [...chosen, [u, a]])).slice(0, 8);
  });
  return out;
}

// The results of a plan: { mode: "all" | "some" | "none", results: [{ result,
// missing: [labels] }], counts, absent: [labels of units on no page], via:
// [synonyms that brought results the words typed did not] }.
export async function find(pf, plan, filters = {}, { counts = false } = {}) {
  // The pages holding the most words first; among them the practice sheets and
  // the other pages, then the list pages, each by relevance.
  // A page found through the words typed comes before one found through a synonym only.
  const answer = (mode, entries, facetCounts, lists, absent = []) => {
    const order = (a, b) =>
      b.held - a.held || lists.has(a.result.id) - lists.has(b.result.id) || (a.via.length > 0) - (b.via.length > 0) || b.score - a.score;
    return { mode, results: entries.sort(order), counts: facetCounts || {}, absent, via: [...new Set(entries.flatMap((entry) => entry.via))] };
  };
  if (!plan.units.length) {
    // No word to check: filters alone, or a query made only of stop words.
    const query = plan.query || null;
    const [search, lists] = await Promise.all([
      pf.search(query, { filters }),
      pf.search(query, { filters: Object.keys(filters).length ? { all: [filters, LIST_FILTER] } : LIST_FILTER }),
    ]);
    const entries = search.results.map((result) => ({ result, score: result.score, held: 0, missing: [], via: [] }));
    return answer("all", entries, search.filters, new Set(lists.results.map((result) => result.id)));
  }
  const found = plan.units.filter((unit) => unit.alternatives.length);
  const lost = plan.units.filter((unit) => !unit.alternatives.length).map((unit) => unit.label);
  if (!found.length) return answer("none", [], {}, new Set(), lost);
  const text = (parts) => parts.map(([u, a]) => found[u].alternatives[a]).join(" ");
  // The synonyms a page was found through, when the words typed did not find it.
  const synonymsOf = (parts) => parts.filter(([u, a]) => a !== found[u].typed).map(([u, a]) => found[u].phrases[a]);
  if (!lost.length) {
    const combos = combinations(found);
    const all = await union(pf, combos.map(text), filters, counts);
    if (all.pages.size >= FEW || found.length === 1) {
      const entries = [...all.pages.values()].map((page) => {
        const direct = [...page.scores.keys()].filter((q) => !synonymsOf(combos[q]).length);
        // Found through the words typed: their excerpt, highlighting what was typed.
        if (direct.length) return { ...page, result: page.results.get(direct[0]), held: 0, missing: [], via: [] };
        return { ...page, held: 0, missing: [], via: [...page.scores.keys()].flatMap((q) => synonymsOf(combos[q])) };
      });
      return answer(entries.length ? "all" : "none", entries, all.counts, all.lists);
    }
  }
  // Few pages or none hold every word: they come first, then the pages holding
  // the most of the words; a page's score is the sum of its best per word.
  const singles = found.flatMap((unit, u) => unit.alternatives.map((_, a) => [[u, a]]));
  const some = await union(pf, singles.map(text), filters, counts);
  const entries = [...some.pages.values()].map((page) => {
    const best = new Map();
    for (const [q, score] of page.scores) best.set(singles[q][0][0], Math.max(best.get(singles[q][0][0]) ?? 0, score));
    const direct = new Set([...page.scores.keys()].filter((q) => !synonymsOf(singles[q]).length).map((q) => singles[q][0][0]));
    const via = [...page.scores.keys()].filter((q) => !direct.has(singles[q][0][0])).flatMap((q) => synonymsOf(singles[q]));
    const score = [...best.values()].reduce((sum, value) => sum + value, 0);
    const typed = [...page.scores.keys()].find((q) => !synonymsOf(singles[q]).length);
    const result = typed === undefined ? page.result : page.results.get(typed);
    return { ...page, result, score, held: best.size, missing: found.filter((_, u) => !best.has(u)).map((unit) => unit.label), via };
  });
  const onSomePage = new Set(entries.flatMap((entry) => found.filter((unit) => !entry.missing.includes(unit.label)).map((unit) => unit.label)));
  const absent = [...lost, ...found.map((unit) => unit.label).filter((label) => !onSomePage.has(label))];
  for (const entry of entries) entry.missing = entry.missing.filter((label) => !absent.includes(label));
  return answer(entries.length ? "some" : "none", entries, some.counts, some.lists, absent);
}

// One code path for the header and the search page.
export async function searchSite(query, filters = {}, options = {}) {
  const [pf, data] = await Promise.all([pagefind(), searchData()]);
  const plan = await analyse(query, data);
  return { plan, ...(await find(pf, plan, filters, options)) };
}

// --- what the reader reads ---------------------------------------------------------------


const quoted = (text) => `« ${text} »`;
const list = (labels) => labels.map(quoted).join(", ");

// The status line: how many results, for which words, and what was not found.
export function statusText(answer, { filtered = false } = {}) {
  const { plan, mode, results, absent, via } = answer;
  const count = plural(results.length, "résultat", "résultats");
  const typos = plan.fixes.map((fix) => fix.typed);
  // The synonyms that found pages, so that a result in the sources' words makes sense.
  // Folded phrases, with their elisions back: « d insertion » → « d'insertion ».
  const shown = via.map((phrase) => phrase.replace(/\b(qu|[cdjlmnst]) (?=[a-z])/g, "$1'"));
  const notes = mode === "none" ? [] : [typos.length ? `aucun résultat pour ${list(typos)}` : "", via.length ? `synonymes compris : ${shown.join(", ")}` : ""];
  const after = notes.some(Boolean) ? ` (${notes.filter(Boolean).join(" ; ")})` : "";
  if (mode === "all") return `${count}${typos.length ? ` pour ${quoted(plan.corrected)}` : ""}${after}`;
  if (mode === "some") {
    if (absent.length && results.every((entry) => !entry.missing.length)) {
      const rest = plan.units.map((unit) => unit.label).filter((label) => !absent.includes(label));
      return `Aucun résultat pour ${list(absent)} : ${count} pour ${quoted(rest.join(" "))}${after}`;
    }
    const whole = absent.length ? 0 : results.filter((entry) => !entry.missing.length).length;
    const start = whole
      ? `${plural(whole, "résultat", "résultats")} avec tous les mots${typos.length ? ` de ${quoted(plan.corrected)}` : ""}, ${results.length - whole} avec une partie`
      : `Aucune page ne contient tous les mots : ${count} avec une partie`;
    return `${start}${absent.length ? ` ; aucun résultat pour ${list(absent)}` : ""}${after}`;
  }
  if (filtered && plan.query) return `Aucun résultat pour ${quoted(plan.query)} avec ces filtres : retirez un filtre ou essayez un autre mot.`;
  if (filtered) return "Aucun résultat : retirez un filtre.";
  return `Aucun résultat pour ${quoted(plan.query)}`;
}

// « Vouliez-vous dire parrainage ? »: one button per suggestion, searching the
// query with that word instead.
function renderSuggestions(container, answer, onPick) {
  const suggestions = answer.plan.suggestions;
  container.replaceChildren();
  container.hidden = !suggestions.length;
  if (!suggestions.length) return;
  container.append("Vouliez-vous dire ");
  const choices = suggestions.flatMap(({ typed, words: candidates }) =>
    candidates.map((word) => {
      const button = el("button", { type: "button", class: "kb-suggest__word" }, word);
      button.addEventListener("click", () => onPick(replaceWord(answer.plan.query, typed, word)));
      return button;
    }),
  );
  choices.forEach((button, i) => container.append(...(i ? [i === choices.length - 1 ? " ou " : ", "] : []), button));
  container.append(" ?");
}

function replaceWord(query, typed, word) {
  return query
    .split(/(\s+|['’])/)
    .map((part) => (words(part).join(" ") === typed ? word : part))
    .join("");
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

// A practice's evidence level as on its page: five marks (hidden from screen
// readers) and the level's words, never colour alone; then its status as true today.
function evidenceLine(meta) {
  const rank = Number(meta.niveau);
  if (!meta.preuve || !rank) return null;
  return el("p", { class: "kb-result__evidence" },
    el("span", { class: `kb-evidence kb-evidence--${rank}` },
      el("span", { class: "kb-evidence__marks", "aria-hidden": "true" }, "●".repeat(rank) + "○".repeat(5 - rank)),
      ` Preuve : ${meta.preuve} `,
      el("span", { class: "kb-evidence__rank" }, `(niveau ${rank} sur 5)`)),
    meta.statut ? ` · ${meta.statut}` : "");
}

function resultItem(data, missing = []) {
  return el(
    "li",
    { class: "kb-result" },
    el("a", { class: "kb-result__link", href: data.url },
      el("span", { class: "kb-result__kind" }, data.meta.kind || "Page"),
      el("span", { class: "kb-result__title" }, data.meta.title || data.url)),
    evidenceLine(data.meta),
    excerpt(data.excerpt || ""),
    missing.length ? el("p", { class: "kb-result__missing" }, `${missing.length > 1 ? "Mots absents" : "Mot absent"} : ${missing.join(", ")}`) : null,
  );
}

async function resultItems(entries) {
  const data = await Promise.all(entries.map((entry) => entry.result.data()));
  return data.map((d, i) => resultItem(d, entries[i].missing));
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

// --- the header field -------------------------------------------------------------
// On a phone the header shows a search button; with JavaScript it opens the same
// field over the header (without, it leads to the search page).

function initHeader() {
  if (!header) return;
  const field = header.querySelector("input");
  const panel = header.querySelector(".kb-search__panel");
  const results = header.querySelector(".kb-search__list");
  const status = header.querySelector(".kb-search__status");
  const suggest = header.querySelector(".kb-search__suggest");
  const all = header.querySelector(".kb-search__all");
  const icon = document.querySelector(".kb-search__icon");
  const closeButton = header.querySelector(".kb-search__close");
  const searchPage = all.getAttribute("href");
  let sequence = 0;

  const close = () => {
    panel.hidden = true;
  };
  const collapse = () => {
    close();
    header.classList.remove("kb-search--open");
    icon?.setAttribute("aria-expanded", "false");
  };
  const run = async () => {
    const query = field.value.trim();
    const mine = ++sequence;
    if (!query) return close();
    const answer = await searchSite(query);
    const items = await resultItems(answer.results.slice(0, HEADER_RESULTS));
    if (mine !== sequence) return;
    results.replaceChildren(...items);
    status.textContent = statusText(answer);
    renderSuggestions(suggest, answer, (corrected) => {
      field.value = corrected;
      field.focus();
      run();
    });
    all.href = `${searchPage}?q=${encodeURIComponent(query)}`;
    panel.dataset.query = query;
    panel.hidden = false;
  };
  const show = debounce(run, 100);

  field.addEventListener("input", show);
  field.addEventListener("focus", () => {
    // Fetched while the reader types the first letters.
    pagefind();
    searchData();
    if (field.value.trim()) show();
  });
  field.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !panel.hidden) {
      results.querySelector("a")?.focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      if (panel.hidden && header.classList.contains("kb-search--open")) {
        collapse();
        icon.focus();
      }
      close();
    }
  });
  arrowKeys(results, field, () => {
    close();
    field.focus();
  });
  if (icon) {
    icon.setAttribute("role", "button");
    icon.setAttribute("aria-expanded", "false");
    icon.setAttribute("aria-controls", header.id);
    icon.addEventListener("click", (event) => {
      event.preventDefault();
      // On the search page, its own field is the one to use.
      const pageField = document.getElementById("kb-search-page-input");
      if (pageField) return pageField.focus();
      header.classList.add("kb-search--open");
      icon.setAttribute("aria-expanded", "true");
      field.focus();
    });
    closeButton.hidden = false;
    closeButton.addEventListener("click", () => {
      collapse();
      icon.focus();
    });
  }
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      if (getComputedStyle(header).display === "none") icon?.click();
      else field.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!header.contains(event.target) && !icon?.contains(event.target)) close();
  });
}

// --- facets, shared by the search page and the explorer ------------------------------

function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of FACET_KEYS) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return { query: params.get("q") || "", filters, expanded: new Set() };
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

const activeCount = (state) => Object.values(state.filters).reduce((sum, values) => sum + values.length, 0);

// counts: {facet: {value: count}}. Selected values stay listed even at zero, and
// shown. The control that had the focus keeps it: the boxes are built again with
// their new counts, and the one just toggled is focused again.
function renderFacets(container, counts, state, onChange, hidden = []) {
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  const made = new Map();
  const groups = [];
  for (const [key, label] of FACETS) {
    if (hidden.includes(key)) continue;
    const selected = state.filters[key] || [];
    const values = { ...(counts[key] || {}) };
    for (const value of selected) values[value] ??= 0;
    const entries = Object.entries(values).filter(([value, count]) => count > 0 || selected.includes(value));
    if (!entries.length) continue;
    entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "fr"));
    const boxes = entries.map(([value, count]) => {
      const box = el("input", { type: "checkbox", name: key, value, checked: selected.includes(value), "data-key": `${key}=${value}` });
      box.addEventListener("change", () => onChange(key, value, box.checked));
      made.set(box.dataset.key, box);
      return el("label", { class: "kb-facet__value" }, box, el("span", {}, `${value} `, el("span", { class: "kb-facet__count" }, `(${count})`)));
    });
    // Long groups (territories, organisations) show their ten largest values first.
    const open = state.expanded.has(key) || entries.slice(10).some(([value]) => selected.includes(value));
    const fieldset = el("fieldset", { class: "kb-facet" }, el("legend", {}, label), ...(open ? boxes : boxes.slice(0, 10)));
    if (!open && boxes.length > 10) {
      const more = el("button", { type: "button", class: "md-button kb-facet__more", "data-key": `${key}+` }, `Afficher les ${boxes.length} valeurs`);
      more.addEventListener("click", () => {
        state.expanded.add(key);
        more.replaceWith(...boxes.slice(10));
        boxes[10].querySelector("input").focus();
      });
      made.set(more.dataset.key, more);
      fieldset.append(more);
    }
    groups.push(fieldset);
  }
  container.replaceChildren(...groups);
  if (focused) (made.get(focused) ?? made.get(focused.replace(/=.*/, "+")))?.focus();
}

// A « Filtrer » button folding a panel of facets on narrow screens (and, with
// `always`, on every screen); it says how many filters are active.
function foldable(button, panel, { always = false } = {}) {
  const text = button.textContent;
  const update = (active) => {
    button.textContent = active ? `${text} (${plural(active, "filtre actif", "filtres actifs")})` : text;
  };
  const set = (open) => {
    button.setAttribute("aria-expanded", String(open));
    panel.classList.toggle("kb-facets--open", open);
  };
  button.hidden = false;
  panel.classList.add(always ? "kb-facets--folded-always" : "kb-facets--folded");
  set(false);
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  return { update, close: () => set(false) };
}

// --- the search page ------------------------------------------------------------------

function initSearchPage() {
  const page = document.getElementById("kb-search-page");
  if (!page) return;
  page.hidden = false;
  const form = page.querySelector("form");
  const field = form.querySelector("input");
  const status = page.querySelector(".kb-results__status");
  const suggest = page.querySelector(".kb-suggest");
  const facetsPanel = page.querySelector(".kb-facets-panel");
  const facets = facetsPanel.querySelector(".kb-facets");
  const chips = page.querySelector(".kb-active-filters");
  const list = page.querySelector(".kb-results");
  const more = page.querySelector(".kb-more");
  const toggleButton = page.querySelector(".kb-filter-toggle");
  const done = page.querySelector(".kb-facets__done");
  const layout = page.querySelector(".kb-search-page__layout");
  const state = readState();
  field.value = state.query;
  let entries = [];
  let shown = 0;
  let sequence = 0;

  const panel = foldable(toggleButton, facetsPanel);
  // Reading order is visual order: on a phone the folded facets come before the
  // results, just under their button; on a wide screen they are the column after them.
  const place = () => (NARROW.matches ? toggleButton.parentElement.after(facetsPanel) : layout.append(facetsPanel));
  NARROW.addEventListener("change", place);
  place();
  done.addEventListener("click", () => {
    panel.close();
    (list.querySelector("a") ?? toggleButton).focus();
  });

  const showMore = async () => {
    const batch = entries.slice(shown, shown + PAGE_SIZE);
    list.append(...(await resultItems(batch)));
    shown += batch.length;
    more.hidden = shown >= entries.length;
  };

  const renderChips = () => {
    const active = FACETS.flatMap(([key, label]) => (state.filters[key] || []).map((value) => [key, label, value]));
    chips.replaceChildren(
      ...active.map(([key, label, value]) => {
        const chip = el("button", { type: "button", class: "kb-chip", "aria-label": `Retirer le filtre ${label} : ${value}` }, value, el("span", { "aria-hidden": "true" }, " ×"));
        chip.addEventListener("click", () => change(key, value, false));
        return chip;
      }),
    );
    chips.hidden = !active.length;
    panel.update(active.length);
  };

  const run = async () => {
    const mine = ++sequence;
    writeState(state);
    renderChips();
    const pf = await pagefind();
    // Pagefind returns counts per filter value only once its filter index is
    // loaded; the header field never needs it, so only this page loads it.
    const allFilters = await pf.filters();
    if (mine !== sequence) return;
    if (!state.query && !activeCount(state)) {
      renderFacets(facets, allFilters, state, change);
      list.replaceChildren();
      suggest.hidden = true;
      more.hidden = true;
      done.textContent = "Voir les résultats";
      status.textContent = "Tapez votre recherche ou choisissez un filtre.";
      delete list.dataset.query;
      return;
    }
    const answer = await searchSite(state.query, state.filters, { counts: true });
    if (mine !== sequence) return;
    entries = answer.results;
    shown = 0;
    const items = await resultItems(entries.slice(0, PAGE_SIZE));
    if (mine !== sequence) return;
    list.replaceChildren(...items);
    shown = items.length;
    more.hidden = shown >= entries.length;
    renderFacets(facets, answer.counts, state, change);
    renderSuggestions(suggest, answer, (corrected) => {
      field.value = corrected;
      state.query = corrected;
      field.focus();
      run();
    });
    done.textContent = `Voir ${plural(entries.length, "résultat", "résultats")}`;
    // Announced once the results are on the page.
    status.textContent = statusText(answer, { filtered: activeCount(state) > 0 });
    list.dataset.query = state.query;
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

// --- the explorer: filters above the list of all practices -------------------------------
// The list is split into pages of 100, readable without JavaScript. The filters
// come from Pagefind's filter index (the same counts as the search page), so the
// list page fetches nothing that grows with the number of practices; choosing a
// value opens the search page with that filter, where filters combine. They are
// folded under a button, so that the list comes first.

async function initExplorer() {
  const list = document.querySelector("[data-kb-explorer]");
  if (!list) return;
  const button = el("button", { type: "button", class: "md-button kb-filter-toggle", "aria-controls": "kb-explorer-facets" }, "Filtrer les fiches");
  const facets = el("div", { class: "kb-facets kb-facets--inline", id: "kb-explorer-facets" });
  list.before(el("div", { class: "kb-explorer" }, button, facets));
  foldable(button, facets, { always: true });
  const pf = await pagefind();
  const counts = await pf.filters();
  const state = { query: "", filters: {}, expanded: new Set() };
  renderFacets(facets, counts, state, (key, value, checked) => {
    toggle(state, key, value, checked);
    const target = new URL("recherche/", siteRoot);
    for (const [name, values] of Object.entries(state.filters)) for (const v of values) target.searchParams.append(name, v);
    location.assign(target);
  }, ["type"]);
}

// --- tables: cards on a phone ------------------------------------------------------------
// A table wider than a phone is cut by its frame. Each cell gets its column's
// title (data-label) and, on narrow screens, kb.css lays each row out as a card
// of « title: value » lines. Without JavaScript the table scrolls in its frame.

function tablesAsCards() {
  for (const table of document.querySelectorAll(".md-typeset table")) {
    const titles = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (titles.length < 2) continue;
    for (const row of table.querySelectorAll("tbody tr")) [...row.cells].forEach((cell, i) => titles[i] && cell.setAttribute("data-label", titles[i]));
    table.setAttribute("data-kb-cards", "");
  }
}

tablesAsCards();
initHeader();
initSearchPage();
initExplorer();
