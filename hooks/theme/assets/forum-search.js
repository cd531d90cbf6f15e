// The forum's search, run in the reader's browser: the header's box on every page (a dropdown
// of the best hits as the reader types, Enter for the search page) and the search page.
// The encrypted index is cut by language and year (sync/site/search_index.py):
// search/encrypted_search_parts.json lists each language's files, newest year first, each
// named by its content; a file holds key name → page → compressed then encrypted entries,
// one entry per post. This script fetches the reader's language's years one after the
// other, keeps each file in Cache Storage (a name never changes content, so a rebuild's
// unchanged years are not fetched again), opens the bundles whose keys the reader holds since
// signing in (sessionStorage) and searches them with MiniSearch (vendored, pinned); results
// are shown from this year's file on, and again as each earlier year arrives.
// A guest therefore searches only the topic they were invited to. Nothing of a query leaves
// the browser: it goes to the search page in the address's #fragment.
(function () {
  "use strict";
  const PARTS = "search/encrypted_search_parts.json";
  const CACHE = "forum-search-parts";
  const HIGHLIGHT = "forum_search_highlight"; // sessionStorage: the words to mark on the page a hit opens
  const PAGE_LIMIT = 50;
  const DROPDOWN_LIMIT = 6;
  const CONTEXT = 220; // characters of an excerpt
  const WORD = /[^\n\r\p{Z}\p{P}]+/gu; // a word, as MiniSearch's tokenizer cuts the text
  const states = {};

  function fromHex(hex) {
    return new Uint8Array(hex.match(/../g).map(function (pair) { return parseInt(pair, 16); }));
  }

  function fromBase64(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  const cryptoKeys = {};

  async function decrypt(keyHex, bundle) {
    const parts = bundle.split(";");
    cryptoKeys[keyHex] = cryptoKeys[keyHex] || crypto.subtle.importKey("raw", fromHex(keyHex), "AES-CBC", false, ["decrypt"]);
    const key = await cryptoKeys[keyHex];
    const clear = await crypto.subtle.decrypt({ name: "AES-CBC", iv: fromBase64(parts[0]) }, key, fromBase64(parts[1]));
    const inflated = new Blob([clear]).stream().pipeThrough(new DecompressionStream("deflate"));
    return await new Response(inflated).text();
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // Text of an index entry without its markup; DOMParser runs no script and loads nothing.
  function plain(html) {
    return new DOMParser().parseFromString(html || "", "text/html").body.textContent || "";
  }

  // Accents do not matter to a reader typing a query: "developpement" finds "développement".
  function fold(term) {
    return term.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  }

  // A file of the index: from Cache Storage if fetched before (its name says its content).
  async function fetchPart(url) {
    let cache = null;
    try { cache = await caches.open(CACHE); } catch (error) { /* no Cache Storage: the HTTP cache */ }
    const kept = cache && await cache.match(url);
    if (kept) return kept.json();
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ": " + response.status);
    if (cache) await cache.put(url, response.clone()).catch(function () {});
    return response.json();
  }

  // Files no longer listed (a rebuild changed their year) are dropped from Cache Storage.
  async function forget(listed) {
    try {
      const cache = await caches.open(CACHE);
      for (const request of await cache.keys()) {
        if (!listed.has(new URL(request.url).pathname.split("/").pop())) await cache.delete(request);
      }
    } catch (error) { /* nothing kept, nothing to forget */ }
  }

  function keysHeld(keyIds) {
    return keyIds.some(function (id) { return sessionStorage.getItem(id); });
  }

  // One language's index, filled year by year; `listeners` re-render as each year arrives.
  function state(form) {
    const language = form.dataset.language;
    if (!states[language]) {
      states[language] = { root: form.dataset.root, language: language, search: null, loaded: 0, total: 0, opened: 0, done: false, started: null, listeners: new Set() };
    }
    return states[language];
  }

  function notify(st) {
    st.listeners.forEach(function (listener) { listener(); });
  }

  function start(st) {
    if (st.done && !st.opened) { // nothing opened: signed out then, perhaps signed in since
      Object.assign(st, { search: null, loaded: 0, total: 0, done: false, started: null });
    }
    if (!st.started) st.started = load(st).catch(function (error) { console.error(error); st.done = true; notify(st); });
    return st.started;
  }

  // After the browser has drawn what notify() changed (a hidden tab draws nothing: then
  // after a moment, so that the search goes on).
  function painted() {
    return new Promise(function (resolve) {
      const timer = setTimeout(resolve, 250);
      requestAnimationFrame(function () { setTimeout(function () { clearTimeout(timer); resolve(); }, 0); });
    });
  }

  async function load(st) {
    const response = await fetch(st.root + PARTS, { cache: "no-cache" });
    const listing = await response.json();
    const all = new Set();
    Object.values(listing).forEach(function (parts) { parts.forEach(function (part) { all.add(part.file); }); });
    forget(all);
    // Only the years holding pages of a level the reader opens (a guest's: their topic's).
    const parts = (listing[st.language] || []).filter(function (part) { return !part.keys || keysHeld(part.keys); });
    st.total = parts.length;
    if (typeof MiniSearch === "undefined") await loadScript(st.root + "assets/vendor/minisearch-7.2.0.js");
    st.search = new MiniSearch({
      idField: "location",
      fields: ["title", "text"],
      storeFields: ["title", "text", "location", "author", "date"],
      processTerm: fold,
      searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3 }, combineWith: "AND" },
    });
    // This year's hits are shown before anything older is fetched, so that a first search
    // costs one year's file on a slow line; after that, the next year's file is fetched
    // while this one is opened and indexed.
    const fetchYear = function (n) { return n < parts.length ? fetchPart(st.root + "search/" + parts[n].file) : null; };
    let next = fetchYear(0);
    for (let n = 0; n < parts.length; n++) {
      const index = await next;
      if (n > 0) next = fetchYear(n + 1);
      st.search.addAll(await open(st, index));
      st.loaded = n + 1;
      notify(st);
      if (n === 0) {
        await painted();
        next = fetchYear(1);
      }
    }
    st.done = true;
    notify(st);
  }

  async function open(st, index) {
    const entries = [];
    for (const [keyId, pages] of Object.entries(index)) {
      const key = sessionStorage.getItem(keyId);
      if (!key) continue;
      for (const bundle of Object.values(pages)) {
        try {
          for (const entry of JSON.parse(await decrypt(key, bundle))) {
            entries.push({ location: entry.location, title: plain(entry.title), text: plain(entry.text), author: plain(entry.author), date: entry.date || "" });
          }
          st.opened += 1;
        } catch (error) {
          // A key from an earlier build opens nothing: skip it, the reader signs in again.
        }
      }
    }
    return entries;
  }

  // Best first; equal scores (to rounding: years indexed in another order add up lengths in
  // another order) by address, so the year-by-year index ranks as one file would.
  function results(st, query) {
    const found = st.search ? st.search.search(query) : [];
    return found.map(function (result) { return Object.assign(result, { rank: Math.round(result.score * 1e6) }); })
      .sort(function (a, b) { return b.rank - a.rank || (a.location < b.location ? -1 : a.location > b.location ? 1 : 0); });
  }

  // The words of a text with where they start, and whether they are among the matched terms.
  function words(text, matched) {
    const found = [];
    for (const word of text.matchAll(WORD)) {
      found.push({ start: word.index, end: word.index + word[0].length, hit: matched.has(fold(word[0])) });
    }
    return found;
  }

  // About CONTEXT characters around the first matched word, cut between words, the matched
  // words marked.
  function excerpt(text, matched) {
    const all = words(text, matched);
    const first = Math.max(0, all.findIndex(function (w) { return w.hit; }));
    let from = first;
    while (from > 0 && all[first].start - all[from - 1].start < CONTEXT / 4) from -= 1;
    let to = from;
    while (to + 1 < all.length && all[to + 1].end - (all[from] ? all[from].start : 0) <= CONTEXT) to += 1;
    const fragment = document.createDocumentFragment();
    if (!all.length) {
      fragment.append(text.slice(0, CONTEXT));
      return fragment;
    }
    let at = all[from].start;
    if (from > 0) fragment.append("… ");
    for (let n = from; n <= to; n++) {
      fragment.append(text.slice(at, all[n].start));
      const piece = text.slice(all[n].start, all[n].end);
      if (all[n].hit) {
        const mark = document.createElement("mark");
        mark.textContent = piece;
        fragment.append(mark);
      } else {
        fragment.append(piece);
      }
      at = all[n].end;
    }
    if (to + 1 < all.length) fragment.append(" …");
    else fragment.append(text.slice(at)); // the end of the post, its full stop with it
    return fragment;
  }

  function dateText(iso, language) {
    if (!/^\d{4}-\d\d-\d\d$/.test(iso)) return "";
    try {
      return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso + "T00:00:00Z"));
    } catch (error) {
      return iso;
    }
  }

  function hit(st, result) {
    const item = document.createElement("li");
    item.className = "forum-search__hit";
    const link = document.createElement("a");
    link.href = st.root + result.location;
    link.textContent = result.title;
    link.dataset.terms = JSON.stringify(result.terms);
    const meta = document.createElement("p");
    meta.className = "forum-search__meta";
    meta.textContent = [result.author, dateText(result.date, document.documentElement.lang || st.language)].filter(Boolean).join(" · ");
    const text = document.createElement("p");
    text.className = "forum-search__excerpt";
    text.append(excerpt(result.text, new Set(result.terms)));
    item.append(link, meta, text);
    return item;
  }

  function statusText(form, st, count) {
    if (st.done && !st.opened) return form.dataset.signin;
    let text = count ? form.dataset.results.replace("{count}", String(count)) : (st.done ? form.dataset.none : "");
    if (!st.done) text = [text, form.dataset.older].filter(Boolean).join(" — ");
    return text;
  }

  // Runs `redraw` once the focus leaves `list` (moving between its hits is not leaving it).
  function redrawLater(list, redraw) {
    if (list.forumRedraw) { list.forumRedraw = redraw; return; }
    list.forumRedraw = redraw;
    list.addEventListener("focusout", function left(event) {
      if (list.contains(event.relatedTarget)) return;
      list.removeEventListener("focusout", left);
      const pending = list.forumRedraw;
      list.forumRedraw = null;
      pending();
    });
  }

  // Shows a query's hits in a list, again each time a year arrives.
  function show(form, query, status, list, limit, after) {
    const st = state(form);
    if (form.forumListener) st.listeners.delete(form.forumListener);
    start(st);
    const render = function () {
      const found = results(st, query);
      // A reader moving through the hits by keyboard keeps them where they are: an earlier
      // year arriving redraws them once the focus has left the list, not under the reader.
      if (list.contains(document.activeElement)) {
        redrawLater(list, function () { if (form.forumListener === render) render(); });
        return;
      }
      list.replaceChildren.apply(list, found.slice(0, limit).map(function (result) { return hit(st, result); }));
      list.dataset.complete = st.done ? "true" : "false";
      status.textContent = statusText(form, st, found.length);
      if (after) after(found);
    };
    form.forumListener = render;
    st.listeners.add(render);
    render();
  }

  // The search page -------------------------------------------------------------------------

  function queryInAddress() {
    const match = /^#q=(.*)$/.exec(window.location.hash);
    try { return match ? decodeURIComponent(match[1]) : ""; } catch (error) { return ""; }
  }

  function runPage(form, query) {
    const status = document.getElementById("forum-search-status");
    const list = document.getElementById("forum-search-results");
    if (!query.trim()) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    history.replaceState(null, "", "#q=" + encodeURIComponent(query));
    show(form, query.trim(), status, list, PAGE_LIMIT);
  }

  // The header's box ------------------------------------------------------------------------

  function pageForm() {
    return document.querySelector(".forum-search--page");
  }

  function closeDropdown(form) {
    const dropdown = form.querySelector(".forum-search__dropdown");
    if (dropdown) dropdown.hidden = true;
  }

  function runHeader(form) {
    const input = form.querySelector("input[type=search]");
    const query = input.value.trim();
    const onPage = pageForm();
    if (onPage) { // the search page itself shows every hit
      onPage.querySelector("input[type=search]").value = input.value;
      runPage(onPage, input.value);
      return;
    }
    const dropdown = form.querySelector(".forum-search__dropdown");
    if (!query) { dropdown.hidden = true; return; }
    dropdown.hidden = false;
    const all = form.querySelector(".forum-search__all"); // none on a guest's page
    if (all) all.href = form.dataset.find + "#q=" + encodeURIComponent(query);
    show(form, query, form.querySelector(".forum-search__status"), form.querySelector(".forum-search__results"), DROPDOWN_LIMIT, function (found) {
      if (all) all.hidden = found.length <= DROPDOWN_LIMIT;
    });
  }

  const timers = new WeakMap();

  document.addEventListener("input", function (event) {
    const form = event.target.closest(".forum-search");
    if (!form || event.target.type !== "search") return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () {
      if (form.classList.contains("forum-search--page")) runPage(form, event.target.value);
      else runHeader(form);
    }, 200));
  });

  document.addEventListener("submit", function (event) {
    const form = event.target.closest(".forum-search");
    if (!form) return;
    event.preventDefault();
    const query = form.querySelector("input[type=search]").value;
    clearTimeout(timers.get(form));
    if (form.classList.contains("forum-search--page")) runPage(form, query);
    else if (pageForm() || !form.dataset.find) runHeader(form);
    else if (query.trim()) window.location.href = form.dataset.find + "#q=" + encodeURIComponent(query.trim());
  });

  // Keyboard: "/" anywhere but in a field goes to the header's box (as on Discourse and
  // GitHub); Down from the box goes to the hits, Up and Down move among them, Escape closes.
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !event.target.closest("input, textarea, select, [contenteditable]")) {
      const box = document.querySelector(".forum-search--header input[type=search]");
      if (box) { event.preventDefault(); box.focus(); }
      return;
    }
    const form = event.target.closest(".forum-search--header");
    if (!form) return;
    const links = Array.from(form.querySelectorAll(".forum-search__dropdown:not([hidden]) a:not([hidden])"));
    const at = links.indexOf(event.target);
    if (event.key === "Escape") {
      closeDropdown(form);
      form.querySelector("input[type=search]").focus();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) form.querySelector("input[type=search]").focus();
      else links[at - 1].focus();
    }
  });

  document.addEventListener("focusout", function (event) {
    const form = event.target.closest(".forum-search--header");
    if (form && !form.contains(event.relatedTarget)) setTimeout(function () {
      if (!form.contains(document.activeElement)) closeDropdown(form);
    }, 0);
  });

  // A hit opened: the page it opens marks the matched words of its post.
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".forum-search__hit a");
    if (!link) return;
    sessionStorage.setItem(HIGHLIGHT, JSON.stringify({ href: link.href, terms: JSON.parse(link.dataset.terms || "[]") }));
    const header = link.closest(".forum-search--header");
    if (header) closeDropdown(header);
  });

  // The landing page ------------------------------------------------------------------------

  function markWords(root, matched) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    let first = null;
    for (const node of nodes) {
      const text = node.data;
      const found = words(text, matched).filter(function (w) { return w.hit; });
      if (!found.length) continue;
      const fragment = document.createDocumentFragment();
      let at = 0;
      for (const word of found) {
        fragment.append(text.slice(at, word.start));
        const mark = document.createElement("mark");
        mark.className = "forum-search__mark";
        mark.textContent = text.slice(word.start, word.end);
        fragment.append(mark);
        first = first || mark;
        at = word.end;
      }
      fragment.append(text.slice(at));
      node.replaceWith(fragment);
    }
    return first;
  }

  function highlightLanding() {
    let wanted = null;
    try { wanted = JSON.parse(sessionStorage.getItem(HIGHLIGHT) || "null"); } catch (error) { /* ignored */ }
    if (!wanted || wanted.href !== window.location.href) return;
    const id = decodeURIComponent(window.location.hash.slice(1));
    const post = id && document.getElementById(id);
    if (!post) return; // not decrypted yet: tried again after decryption
    sessionStorage.removeItem(HIGHLIGHT);
    const body = post.querySelector(".forum-post__body") || post;
    markWords(body, new Set(wanted.terms || []));
    post.scrollIntoView({ block: "start" });
  }

  // encryptcontent calls theme_run_after_decryption (set by forum.js) once the page is open.
  const after = window.theme_run_after_decryption;
  window.theme_run_after_decryption = function () {
    if (after) after();
    opened();
  };

  // The search page's form is in its encrypted content: there once the page is open.
  let pageStarted = false;

  function opened() {
    highlightLanding();
    const form = pageForm();
    const query = queryInAddress();
    if (!form || pageStarted) return;
    pageStarted = true;
    if (query) {
      form.querySelector("input[type=search]").value = query;
      const header = document.querySelector(".forum-search--header input[type=search]");
      if (header) header.value = query;
      runPage(form, query);
    }
  }

  document.addEventListener("DOMContentLoaded", opened);
  window.addEventListener("hashchange", function () {
    highlightLanding(); // a hit on the page already open
    const form = pageForm();
    const query = queryInAddress();
    if (form && query && form.querySelector("input[type=search]").value !== query) {
      form.querySelector("input[type=search]").value = query;
      runPage(form, query);
    }
  });
})();
