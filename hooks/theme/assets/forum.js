// The forum's behaviour once a reader has signed in: where the focus goes, signing out.
// Keys of the pages a credential opens are kept by the forum's decryptor (forum-decrypt.js)
// in sessionStorage (this tab only, until it closes), under names starting with its prefix;
// with "stay signed in", also in localStorage (forum_remembered) until it expires.
(function () {
  "use strict";
  const KEY_PREFIX = "encryptcontent_";
  const USER = "forum_user";  // the user name typed at sign-in: an id (ISO code, WIPO, a login)
  const REMEMBERED = "forum_remembered";  // {until, user, keys}: never the password
  const AN_ID = /^[A-Za-z0-9-]{1,39}$/;
  let submitted = false;

  // A page without encrypted content (the protocol, 404) in a new tab: the keys remembered on
  // this device (forum-decrypt.js restores them on the others) say who is signed in.
  function restoreRemembered() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(REMEMBERED) || "null"); } catch (error) { saved = null; }
    if (!saved || !(saved.until > Date.now()) || !saved.keys) return;
    Object.keys(saved.keys).forEach(function (id) {
      if (!sessionStorage.getItem(id)) sessionStorage.setItem(id, saved.keys[id]);
    });
    if (saved.user && !sessionStorage.getItem(USER)) sessionStorage.setItem(USER, saved.user);
  }

  function signedIn() {
    for (let i = 0; i < sessionStorage.length; i++) {
      if (sessionStorage.key(i).startsWith(KEY_PREFIX)) return true;
    }
    return false;
  }

  function showSignOut() {
    document.querySelectorAll(".forum-signout").forEach(function (button) {
      button.hidden = !signedIn();
    });
  }

  // Whom the reader is signed in as, in the page's language: a delegation's country, WIPO's
  // moderator, or a guest's name (found only in the guest's own decrypted page).
  function whoAmI(bar, user) {
    if (user.toUpperCase() === "WIPO") return bar.dataset.moderator;
    if (/^[A-Za-z]{2}$/.test(user)) {
      let country = user.toUpperCase();
      try {
        const names = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region" });
        country = names.of(country) || country;
      } catch (error) { /* an old browser: the ISO code */ }
      return bar.dataset.delegation.replace("{member_state}", country);
    }
    const guests = document.getElementById("forum-guest-names");
    if (guests) {
      const names = JSON.parse(guests.dataset.names || "{}");
      if (Object.prototype.hasOwnProperty.call(names, user.toLowerCase())) return names[user.toLowerCase()];
    }
    return user;
  }

  function showWhoAmI() {
    const user = sessionStorage.getItem(USER) || "";
    document.querySelectorAll(".forum-whoami").forEach(function (bar) {
      const known = signedIn() && AN_ID.test(user);
      bar.hidden = !known;
      bar.textContent = known ? bar.dataset.signedIn.replace("{name}", whoAmI(bar, user)) : "";
    });
  }

  function remember() {
    const field = document.getElementById("mkdocs-content-user");
    const user = field ? field.value.trim() : "";
    if (AN_ID.test(user)) sessionStorage.setItem(USER, user);
  }

  function signOut() {
    localStorage.removeItem(REMEMBERED);  // this device forgets the keys too
    sessionStorage.removeItem(USER);
    const names = [];
    for (let i = 0; i < sessionStorage.length; i++) {
      if (sessionStorage.key(i).startsWith(KEY_PREFIX)) names.push(sessionStorage.key(i));
    }
    names.forEach(function (name) { sessionStorage.removeItem(name); });
    window.location.reload();
  }

  // The decryptor (forum-decrypt.js) calls this after it decrypted a page. When the reader has just signed
  // in, move the focus to the page's heading so that screen readers announce the content.
  window.theme_run_after_decryption = function () {
    showSignOut();
    showWhoAmI();
    if (!submitted) return;
    const content = document.getElementById("mkdocs-decrypted-content");
    const heading = content && content.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  };

  // A post's link icon: the browser goes to the post (highlighted as the target) and its
  // address is copied, with a short note read out by screen readers.
  function copyAddress(link) {
    const address = new URL(link.getAttribute("href"), window.location.href).href;
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(address).then(function () {
      let note = link.parentNode.querySelector(".forum-copied");
      if (!note) {
        note = document.createElement("span");
        note.className = "forum-copied";
        note.setAttribute("role", "status");
        link.parentNode.appendChild(note);
      }
      note.textContent = link.dataset.copied || "";
    }, function () { /* copying refused: the address bar shows the post's address */ });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".forum-signout")) signOut();
    const permalink = event.target.closest(".forum-post__permalink");
    if (permalink) copyAddress(permalink);
    if (event.target.closest("#mkdocs-decrypt-button")) { submitted = true; remember(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "mkdocs-content-password") { submitted = true; remember(); }
  });
  // A guest's copy of a topic leads nowhere else: its logo links to the page itself, not to
  // the home page that the guest's credential does not open.
  function keepGuestsHere() {
    if (!document.querySelector(".forum-bar[data-guest-page]")) return;
    document.querySelectorAll("a.md-logo").forEach(function (logo) {
      logo.setAttribute("href", window.location.pathname);
    });
  }

  // The 404 page in the language of the address asked for (/fr/…: French).
  function notFoundInReadersLanguage() {
    const blocks = document.querySelectorAll(".forum-not-found[data-prefix]");
    if (blocks.length < 2) return;
    const path = window.location.pathname.replace(/^\/+/, "");
    let chosen = blocks[0];
    blocks.forEach(function (block) {
      const prefix = block.dataset.prefix;
      if (prefix && (path === prefix.replace(/\/$/, "") || path.indexOf(prefix) === 0)) chosen = block;
    });
    blocks.forEach(function (block) { block.hidden = block !== chosen; });
    document.documentElement.lang = chosen.lang;
  }

  document.addEventListener("DOMContentLoaded", function () {
    restoreRemembered();
    notFoundInReadersLanguage();
    keepGuestsHere();
    showSignOut();
    showWhoAmI();
  });
})();
