// "Show the original": a translated post carries its original (or, when the translation is
// outdated, the translation) in a hidden block beside it; its button shows or hides it in
// place. Listening on the document works for content that encryptcontent decrypts later.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest(".forum-post__toggle") : null;
    if (!button) return;
    const other = document.getElementById(button.getAttribute("aria-controls"));
    if (!other) return;
    const opening = other.hidden;
    other.hidden = !opening;
    button.setAttribute("aria-expanded", opening ? "true" : "false");
    button.textContent = button.dataset[opening ? "hide" : "show"];
  });
})();
