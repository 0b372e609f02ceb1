// The search worker behind Material for MkDocs' own search dialog, answering from Pagefind's chunked index.
//
// Material's page script talks to its search worker by messages (SETUP, READY, QUERY, RESULT); the explainer
// plugin points the theme at this worker instead of Material's lunr one (builder/material/base.html), and
// writes the index (pagefind/) from the content, not from the finished pages (builder/search.py).
// Nothing is loaded before the first query: Pagefind's script, its WebAssembly and the index chunks a query
// needs arrive then, from this site (paths relative to this file, so a site under a sub-path works).
"use strict"

const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3

/** Results whose text is fetched and shown at most (Pagefind loads one small fragment per result). */
const SHOWN = 20

const root = new URL("../../../", self.location.href)
let engine = null

/** Pagefind's API, with every part of the index merged, and the spelling variants: loaded once, on the first
 * query. The index's parts are folders of Pagefind's, listed in pagefind/explainer-search.json (a large site's
 * records are indexed in parts: builder/search.py); the first one's script and WebAssembly serve them all. */
function load() {
  if (engine === null) {
    engine = (async () => {
      // Pagefind's script reads `window.location` where it exists; in a worker the global scope stands in.
      if (typeof self.window === "undefined") self.window = self
      const folder = new URL("pagefind/", root)
      const response = await fetch(new URL("explainer-search.json", folder))
      if (!response.ok) throw new Error(`the search index's list of parts: ${response.status}`)
      const { parts, variants } = await response.json()
      if (!parts.length) return { pagefind: null, variants }
      const [first, ...others] = parts.map(part => new URL(part, folder))
      const pagefind = await import(new URL("pagefind.js", first).href)
      await pagefind.options({ basePath: first.pathname })
      await Promise.all(others.map(other => pagefind.mergeIndex(other.pathname)))
      return { pagefind, variants }
    })()
  }
  return engine
}

/** The query's words, lower-cased. */
function words(query) {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

/** Spellings of one word: itself, and where a variant stem (colour/color) begins it, the other spelling(s). */
function spellings(word, variants) {
  const found = [word]
  for (let end = word.length; end >= 3; end--) {
    const others = variants[word.slice(0, end)]
    if (others) {
      for (const other of others) found.push(other + word.slice(end))
      break
    }
  }
  return found
}

/** The query as typed, and with one word at a time spelled the other way (at most 6 searches). */
function alternatives(query, variants) {
  const list = words(query)
  const queries = [list.join(" ")]
  list.forEach((word, position) => {
    for (const other of spellings(word, variants).slice(1)) {
      const changed = [...list]
      changed[position] = other
      queries.push(changed.join(" "))
    }
  })
  return [...new Set(queries)].slice(0, 6)
}

function escape(text) {
  return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])
}

/** Pagefind's excerpt (text with <mark> around matches) with every other character escaped. */
function excerpt(text) {
  return text
    .split(/(<mark>|<\/mark>)/)
    .map(part => (part === "<mark>" || part === "</mark>" ? part : escape(unescape(part))))
    .join("")
}

/** Pagefind escapes the text of an excerpt: undo it once, so that escape() above is the only escaping. */
function unescape(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name) =>
    ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" })[name])
}

/** The title, escaped, with the query's words marked where a word of the title begins with one. */
function marked(title, terms) {
  const stems = terms.filter(t => t.length > 1).map(t => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
  const safe = escape(title)
  if (!stems.length) return safe
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])(${stems.join("|")})`, "giu")
  return safe.replace(pattern, (_, before, word) => `${before}<mark>${word}</mark>`)
}

/** Results of every spelling of the query (items only, or all), best first; null once `current()` says a
 * newer query came (its search is not made). */
async function found(pagefind, queries, options, current) {
  const best = new Map()
  for (const each of queries) {
    if (!current()) return null
    const answer = await pagefind.search(each, options)
    if (answer === null) continue
    for (const result of answer.results) {
      const seen = best.get(result.id)
      if (!seen || seen.score < result.score) best.set(result.id, result)
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score)
}

/** The results of a query, or null when a newer query came while it was searched: typed key by key, each
 * key sends a query, and on a large index each search takes a moment, so only the newest is finished. */
async function search(query, current) {
  const { pagefind, variants } = await load()
  if (pagefind === null) return { items: [], count: 0 }
  const queries = alternatives(query, variants)
  // Items (facts, questions, elements, people, events) first; then the rest (sources, list pages, pages
  // about the site), whose words weigh less in the index (builder/search.py).
  const items = await found(pagefind, queries, { filters: { item: "yes" } }, current)
  if (items === null) return null
  const ids = new Set(items.map(result => result.id))
  const all = await found(pagefind, queries, {}, current)
  if (all === null || !current()) return null
  const rest = all.filter(result => !ids.has(result.id))
  const count = items.length + rest.length
  const best = [...items, ...rest].slice(0, SHOWN)
  const data = await Promise.all(best.map(result => result.data()))
  const terms = queries.flatMap(words)
  const groups = new Map()
  best.forEach((result, position) => {
    const item = data[position]
    const location = item.meta.href
    const page = location.split("#")[0]
    const score = result.score
    const shown = Object.fromEntries(words(query).map(word => [word, true]))
    let group = groups.get(page)
    if (!group) {
      group = []
      groups.set(page, group)
      group.push({ location: page, title: escape(item.meta.page || item.meta.title), text: "", score, terms: shown })
    }
    const document = { location, title: marked(item.meta.title, terms), text: excerpt(item.excerpt), score, terms: shown }
    if (location === page) group[0] = document
    else group.push(document)
  })
  return { items: [...groups.values()], count }
}

let latest = 0
self.addEventListener("message", async event => {
  const message = event.data
  if (message.type === SETUP) {
    self.postMessage({ type: READY })
  } else if (message.type === QUERY) {
    const ticket = ++latest
    const current = () => ticket === latest
    const query = message.data.trim()
    let data = { items: [] }
    try {
      if (query) data = await search(query, current)
    } catch (error) {
      // The index could not be read (a file missing from the host): say so in the console, show no
      // results, and load it again on the next query.
      console.warn("Search is unavailable:", error)
      engine = null
    }
    // A newer query answers instead: keystrokes typed while this one ran are not shown out of order.
    if (data !== null && current()) self.postMessage({ type: RESULT, data })
  }
})
