// New since the reader's last visit, per device (issue 15; the pages' data: sync/site/new_marks.py).
// This device keeps in localStorage the ids and times of posts only, never their text:
// - a starting point, "since": set on the device's first visit to a listing (the home page,
//   a category, the topics by week) to the newest post the forum then held, so that nothing
//   is new on a first visit; set again by "Mark all as read";
// - the posts seen since then: opening a topic page marks its posts seen.
// A post is new when it is dated after the starting point and this device has not seen it.
// A topic page opened before any listing starts nothing (an old topic opened from a link
// would otherwise make the whole forum since then new).
// Pages are decrypted in the browser: this runs once encryptcontent has decrypted the page.
(function () {
  "use strict";
  const AN_ID = /^[A-Za-z0-9_-]{1,200}$/;

  // One forum per site root, as Material scopes its own settings (forum-md-scope.js).
  function storageKey() {
    const root = typeof __md_scope !== "undefined" ? __md_scope.pathname : "/";
    return root + ".forum.seen";
  }

  function load() {
    try {
      const state = JSON.parse(localStorage.getItem(storageKey()));
      if (state && Number.isFinite(state.since) && state.seen && typeof state.seen === "object") return state;
    } catch (error) { /* unreadable: start again */ }
    return null;
  }

  // Only ids and times, and only of posts the starting point does not already cover.
  function save(state) {
    const seen = {};
    Object.keys(state.seen).forEach(function (id) {
      const time = state.seen[id];
      if (AN_ID.test(id) && Number.isFinite(time) && time > state.since) seen[id] = time;
    });
    try {
      localStorage.setItem(storageKey(), JSON.stringify({ since: state.since, seen: seen }));
    } catch (error) { /* storage full or refused: the marks are not kept */ }
  }

  // A page's posts: [[id, seconds since 1970], …], checked (the page is data, not trusted).
  function posts(text) {
    let list;
    try { list = JSON.parse(text || "[]"); } catch (error) { return []; }
    if (!Array.isArray(list)) return [];
    return list.filter(function (post) {
      return Array.isArray(post) && typeof post[0] === "string" && AN_ID.test(post[0]) && Number.isFinite(post[1]);
    });
  }

  function isNew(state, post) {
    return post[1] > state.since && !Object.prototype.hasOwnProperty.call(state.seen, post[0]);
  }

  function mark(text, kind) {
    const span = document.createElement("span");
    span.className = "forum-new" + (kind ? " forum-new--" + kind : "");
    span.textContent = text;
    return span;
  }

  function number(value) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || "en", { numberingSystem: "latn" }).format(value);
    } catch (error) {
      return String(value);
    }
  }

  // A listed topic (its opening post, then its replies, counted) or a listed reply.
  function markItem(item, state, words) {
    const list = posts(item.dataset.forumPosts);
    const slot = item.querySelector(".forum-new-slot");
    if (!list.length || !slot) return;
    if (isNew(state, list[0])) slot.append(" ", mark(words.dataset.new));
    const replies = list.slice(1).filter(function (post) { return isNew(state, post); }).length;
    if (replies) slot.append(" ", mark(words.dataset.count.replace("{count}", number(replies)), "count"));
  }

  // A topic page: its new posts marked for this view, then every post of it seen.
  function markTopicPage(words, state) {
    const list = posts(words.dataset.posts);
    list.forEach(function (post) {
      if (!isNew(state, post)) return;
      const article = document.getElementById("post-" + post[0]);
      const header = article && article.querySelector(".forum-post__meta");
      if (!header) return;
      article.classList.add("forum-post--new");
      header.insertBefore(mark(words.dataset.new), header.querySelector(".forum-post__actions"));
    });
    const current = load() || state; // another tab may have seen posts meanwhile
    list.forEach(function (post) { if (post[1] > current.since) current.seen[post[0]] = post[1]; });
    save(current);
  }

  function markAllRead(words, box) {
    const state = load() || { since: 0, seen: {} };
    // Everything up to the newest post this listing shows is read; a post seen elsewhere
    // that is newer still (a category lists its own topics only) stays remembered.
    state.since = Math.max(state.since, Number(words.dataset.newest) || 0);
    Object.keys(state.seen).forEach(function (id) { if (state.seen[id] <= state.since) delete state.seen[id]; });
    save(state);
    document.querySelectorAll(".forum-new-slot").forEach(function (slot) { slot.replaceChildren(); });
    document.querySelectorAll(".forum-new").forEach(function (found) { found.remove(); });
    document.querySelectorAll(".forum-post--new").forEach(function (post) { post.classList.remove("forum-post--new"); });
    box.querySelector(".forum-mark-read__status").textContent = words.dataset.done;
  }

  function run() {
    const words = document.getElementById("forum-new");
    if (!words || words.dataset.ran) return;
    words.dataset.ran = "true";
    const listing = words.hasAttribute("data-newest");
    let state = load();
    if (!state && listing) {
      state = { since: Number(words.dataset.newest) || 0, seen: {} }; // a first visit: nothing is new
      save(state);
    }
    const box = document.querySelector(".forum-mark-read");
    if (box && listing) {
      box.hidden = false;
      box.querySelector("button").addEventListener("click", function () { markAllRead(words, box); });
    }
    if (!state) return; // a topic page opened before any listing: the count has not started
    document.querySelectorAll("[data-forum-posts]").forEach(function (item) { markItem(item, state, words); });
    if (words.hasAttribute("data-posts")) markTopicPage(words, state);
  }

  // encryptcontent dispatches its event once it has decrypted the page (or found no key).
  window.addEventListener("encryptcontent_event", run);
  if (window.encryptcontent_done) run();
})();
