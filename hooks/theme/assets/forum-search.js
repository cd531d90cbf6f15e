// The forum's search, run in the reader's browser. The search index is encrypted per page,
// one file per language (search/encrypted_search_index.<language>.json: key name → page →
// compressed then encrypted entries, see sync/site/encryption.py); this script opens the bundles
// whose keys the reader holds since signing in (sessionStorage), and searches them with
// MiniSearch (vendored, pinned).
// A guest therefore searches only the topic they were invited to.
(function () {
  "use strict";
  const engines = {};

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

  function inLanguage(form, location) {
    const others = form.dataset.otherLanguages.split(" ").filter(Boolean);
    if (form.dataset.language === form.dataset.defaultLanguage) {
      return !others.some(function (other) { return location.startsWith(other + "/"); });
    }
    return location.startsWith(form.dataset.language + "/");
  }

  async function engine(form) {
    const language = form.dataset.language;
    if (engines[language]) return engines[language];
    const root = form.dataset.root;
    const response = await fetch(root + "search/encrypted_search_index." + language + ".json");
    const index = await response.json();
    const entries = {};
    const pageTitles = {};
    let opened = 0;
    for (const [keyId, pages] of Object.entries(index)) {
      const key = sessionStorage.getItem(keyId);
      if (!key) continue;
      for (const [page, bundle] of Object.entries(pages)) {
        if (!inLanguage(form, page)) continue; // only this language's pages are opened
        try {
          for (const entry of JSON.parse(await decrypt(key, bundle))) {
            const title = plain(entry.title);
            if (!entry.location.includes("#")) pageTitles[entry.location] = title;
            entries[entry.location] = { location: entry.location, title: title, text: plain(entry.text) };
          }
          opened += 1;
        } catch (error) {
          // A key from an earlier build opens nothing: skip it, the reader signs in again.
        }
      }
    }
    if (!opened) return null;
    // A section of a page (a topic's replies, say) is shown under its page's title.
    for (const entry of Object.values(entries)) {
      const page = entry.location.split("#")[0];
      if (entry.location.includes("#") && pageTitles[page]) entry.title = pageTitles[page] + " — " + entry.title;
    }
    if (typeof MiniSearch === "undefined") await loadScript(root + "assets/vendor/minisearch-7.2.0.js");
    const search = new MiniSearch({
      idField: "location",
      fields: ["title", "text"],
      storeFields: ["title", "text", "location"],
      processTerm: fold,
      searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3 }, combineWith: "AND" },
    });
    search.addAll(Object.values(entries));
    engines[language] = search;
    return search;
  }

  function excerpt(text, query) {
    const words = query.split(/\s+/).filter(Boolean).map(fold);
    const folded = fold(text);
    const at = Math.max(0, Math.min.apply(null, words.map(function (w) {
      const found = folded.indexOf(w);
      return found < 0 ? Infinity : found;
    }).concat([text.length])) - 60);
    return (at > 0 ? "… " : "") + text.slice(at, at + 220) + (at + 220 < text.length ? " …" : "");
  }

  async function run(form) {
    const query = form.querySelector("input[type=search]").value.trim();
    const status = document.getElementById("forum-search-status");
    const list = document.getElementById("forum-search-results");
    list.replaceChildren();
    if (!query) return;
    const search = await engine(form);
    if (!search) {
      status.textContent = form.dataset.signin;
      return;
    }
    const results = search.search(query).slice(0, 50);
    status.textContent = results.length
      ? form.dataset.results.replace("{count}", String(results.length))
      : form.dataset.none;
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = form.dataset.root + result.location;
      link.textContent = result.title;
      const text = document.createElement("p");
      text.textContent = excerpt(result.text, query);
      item.append(link, text);
      list.append(item);
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target.closest(".forum-search");
    if (!form) return;
    event.preventDefault();
    run(form);
  });
})();
