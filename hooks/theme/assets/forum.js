// The forum's behaviour once a reader has signed in: where the focus goes, signing out.
// Keys of the pages a credential opens are kept by encryptcontent in sessionStorage
// (this tab only, until it closes), under names starting with its prefix.
(function () {
  "use strict";
  const KEY_PREFIX = "encryptcontent_";
  let submitted = false;

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

  function signOut() {
    const names = [];
    for (let i = 0; i < sessionStorage.length; i++) {
      if (sessionStorage.key(i).startsWith(KEY_PREFIX)) names.push(sessionStorage.key(i));
    }
    names.forEach(function (name) { sessionStorage.removeItem(name); });
    window.location.reload();
  }

  // encryptcontent calls this after it decrypted a page. When the reader has just signed
  // in, move the focus to the page's heading so that screen readers announce the content.
  window.theme_run_after_decryption = function () {
    showSignOut();
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
    if (event.target.closest("#mkdocs-decrypt-button")) submitted = true;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "mkdocs-content-password") submitted = true;
  });
  document.addEventListener("DOMContentLoaded", showSignOut);
})();
