// encryptcontent's decryptor (assets/javascripts/decrypt-contents.js) reads a page's key data
// from globals its own template declares in an inline script. The forum's pages allow no
// inline script (Content-Security-Policy), so the data is a JSON block in the page
// (hooks/encryptcontent/decrypt-form.html), declared here as those globals.
(function () {
  "use strict";
  const data = document.getElementById("forum-encryptcontent");
  if (!data) return;
  const values = JSON.parse(data.textContent);
  Object.keys(values).forEach(function (name) { window[name] = values[name]; });
  window.encryptcontent_event = new Event("encryptcontent_event");
  window.encryptcontent_done = false;
})();
