// The forum's decryptor, in place of encryptcontent's decrypt-contents.js (sync/site/encryption.py).
// It runs where the page names it, right after the encrypted content, without waiting for the
// rest of the page: a reader signed in sees the content as soon as it is decrypted.
//
// - Keys of the pages a credential opens are kept in sessionStorage (this tab) under their ids
//   (`encryptcontent_…`); with "stay signed in", also in localStorage with an expiry 30 days on,
//   copied into each new tab's sessionStorage. Never the password.
// - Signing in derives one key from the password (PBKDF2), fetches the key file the page names
//   (sync/site/signin.py; cached by the browser, named by its content) and opens the entry whose
//   id only that key gives. A guest found in the guests' key file is taken to their topic.
// - Every encrypted part is compressed, then encrypted (AES-CBC): opened with WebCrypto, then
//   inflated with DecompressionStream, all in the task that runs this script.
// Performance marks for bench/reader.py: forum-decrypt-start, forum-content-visible.
(function () {
  "use strict";
  const block = document.getElementById("forum-encryptcontent");
  if (!block) return;
  performance.mark("forum-decrypt-start");
  const data = JSON.parse(block.textContent);
  const REMEMBERED = "forum_remembered"; // localStorage: {until, user, keys}
  const USER = "forum_user"; // the user name typed at sign-in (an id), for the "Signed in" line
  const DAYS = 30;
  const encrypted = document.getElementById("mkdocs-encrypted-content");
  const decrypted = document.getElementById("mkdocs-decrypted-content");
  const encoder = new TextEncoder();
  window.encryptcontent_id = data.encryptcontent_id;
  window.encryptcontent_event = new Event("encryptcontent_event");
  window.encryptcontent_done = false;

  // The browser's own decoder where it has one; else a plain loop (Uint8Array.from with a
  // function per character made a string per byte: a garbage collection on most pages).
  function fromBase64(text) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function fromHex(hex) {
    return new Uint8Array(hex.match(/../g).map(function (pair) { return parseInt(pair, 16); }));
  }

  function toBase64(bytes) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)));
  }

  // Keys remembered on this device (and not expired) serve this tab too.
  function restoreRemembered() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(REMEMBERED) || "null"); } catch (error) { saved = null; }
    if (!saved) return false;
    if (!(saved.until > Date.now()) || !saved.keys || typeof saved.keys !== "object") {
      localStorage.removeItem(REMEMBERED);
      return false;
    }
    Object.keys(saved.keys).forEach(function (id) {
      if (!sessionStorage.getItem(id)) sessionStorage.setItem(id, saved.keys[id]);
    });
    if (saved.user && !sessionStorage.getItem(USER)) sessionStorage.setItem(USER, saved.user);
    return true;
  }

  function keep(keys, user, remember) {
    Object.keys(keys).forEach(function (id) { sessionStorage.setItem(id, keys[id]); });
    if (remember) {
      const until = Date.now() + DAYS * 24 * 3600 * 1000;
      localStorage.setItem(REMEMBERED, JSON.stringify({ until: until, user: user, keys: keys }));
    } else {
      localStorage.removeItem(REMEMBERED);
    }
  }

  // A key kept from before the content keys were drawn again opens nothing: forget it (in
  // this tab and on the device), so that the reader is asked for the password once more.
  function forget(id) {
    sessionStorage.removeItem(id);
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(REMEMBERED) || "null"); } catch (error) { saved = null; }
    if (saved && saved.keys && id in saved.keys) {
      localStorage.removeItem(REMEMBERED);
      return true;
    }
    return false;
  }

  // A zlib stream inflated by the browser (DecompressionStream, which checks the stream's
  // checksum), fed from the bytes themselves: each step is a promise settled in this same
  // task, so the content shows before the parser goes on to Material's scripts. (Read from a
  // Blob, the stream came back only after several turns of the event loop, behind those
  // scripts; the JavaScript inflater used instead took three times as long.)
  async function inflate(bytes) {
    const source = new ReadableStream({ start: function (controller) { controller.enqueue(bytes); controller.close(); } });
    const reader = source.pipeThrough(new DecompressionStream("deflate")).getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      size += next.value.length;
    }
    const out = new Uint8Array(size);
    let at = 0;
    chunks.forEach(function (chunk) { out.set(chunk, at); at += chunk.length; });
    return new TextDecoder().decode(out);
  }

  async function open(cryptoKey, bundle) {
    const parts = bundle.trim().split(";");
    if (parts.length !== 2) return false;
    try {
      const clear = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv: fromBase64(parts[0]) }, cryptoKey, fromBase64(parts[1])));
      return await inflate(clear);
    } catch (error) {
      return false; // another key: the padding or the compressed stream is wrong
    }
  }

  // The navigation, header and footer (encryptcontent's encrypted_something), as they come:
  // those before this script now, the footer once the page is parsed.
  async function openParts(cryptoKey) {
    const jobs = [];
    Object.keys(data.forum_parts || {}).forEach(function (name) {
      const how = data.forum_parts[name];
      const found = how[1] === "id" ? [document.getElementById(name)] : Array.from(document.getElementsByClassName(name));
      found.forEach(function (element) {
        if (!element || element.dataset.forumOpened || !String(element.style.display).startsWith("none")) return;
        element.dataset.forumOpened = "1";
        jobs.push(open(cryptoKey, element.textContent).then(function (html) {
          if (html === false) return;
          element.innerHTML = html;
          element.style.display = null;
        }));
      });
    });
    await Promise.all(jobs);
  }

  function afterwards() {
    // Material reads the page when it is parsed; content shown later is handed to it again.
    if (document.readyState !== "loading" && typeof window.document$ !== "undefined") window.document$.next(document);
    if (typeof window.theme_run_after_decryption === "function") window.theme_run_after_decryption();
    if (window.location.hash) window.location.href = window.location.hash; // to the post linked
    window.encryptcontent_done = true;
    window.dispatchEvent(window.encryptcontent_event);
  }

  async function show(keyHex) {
    let cryptoKey;
    try {
      cryptoKey = await crypto.subtle.importKey("raw", fromHex(keyHex), "AES-CBC", false, ["decrypt"]);
    } catch (error) {
      return false;
    }
    const parts = openParts(cryptoKey);
    const content = await open(cryptoKey, encrypted.textContent);
    if (content === false) return false;
    decrypted.innerHTML = content;
    encrypted.remove();
    decrypted.style.display = "";
    performance.mark("forum-content-visible");
    await parts;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { openParts(cryptoKey).then(afterwards); });
    } else {
      await openParts(cryptoKey);
      afterwards();
    }
    return true;
  }

  // The key a password gives, salted with the site's salt and the user name (signin.py).
  async function derive(user, password) {
    const siteSalt = fromBase64(data.forum_salt);
    const name = encoder.encode(encodeURIComponent(user.toLowerCase()));
    const salted = new Uint8Array(siteSalt.length + 1 + name.length);
    salted.set(siteSalt);
    salted.set(name, siteSalt.length + 1);
    const salt = new Uint8Array(await crypto.subtle.digest("SHA-256", salted)).slice(0, 16);
    const material = await crypto.subtle.importKey("raw", encoder.encode(encodeURIComponent(password)), "PBKDF2", false, ["deriveBits"]);
    return new Uint8Array(await crypto.subtle.deriveBits(
      { name: "PBKDF2", salt: salt, iterations: data.forum_iterations, hash: "SHA-256" }, material, 256
    ));
  }

  async function entryId(key) {
    const prefixed = new Uint8Array(9 + key.length);
    prefixed.set(encoder.encode("entry-id:"));
    prefixed.set(key, 9);
    const idKey = await crypto.subtle.importKey(
      "raw", await crypto.subtle.digest("SHA-256", prefixed), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]
    );
    return toBase64(await crypto.subtle.sign("HMAC", idKey, encoder.encode(data.forum_nonce)));
  }

  const files = {};
  function keyFile(url) {
    files[url] = files[url] || fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
    return files[url];
  }

  // The entry of this credential in a key file: {keys, page?}, or null.
  async function entry(url, key, id) {
    let file;
    try { file = await keyFile(url); } catch (error) { return null; }
    const found = (file.entries || []).find(function (item) { return item.split(";")[2] === id; });
    if (!found) return null;
    const parts = found.split(";");
    try {
      const aes = await crypto.subtle.importKey("raw", key, "AES-CBC", false, ["decrypt"]);
      const plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: fromBase64(parts[0]) }, aes, fromBase64(parts[1]));
      return JSON.parse(new TextDecoder().decode(plain));
    } catch (error) {
      return null;
    }
  }

  function refuse() {
    const message = document.getElementById("mkdocs-decrypt-msg");
    const password = document.getElementById("mkdocs-content-password");
    message.textContent = data.decryption_failure_message;
    password.value = "";
    password.focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const user = document.getElementById("mkdocs-content-user").value.trim();
    const password = document.getElementById("mkdocs-content-password").value;
    const box = document.getElementById("forum-remember");
    const remember = Boolean(box && box.checked);
    if (!user || !password) return refuse();
    const ownFile = keyFile(data.forum_keys); // fetched while the key is derived
    ownFile.catch(function () {});
    const key = await derive(user, password);
    const id = await entryId(key);
    let found = await entry(data.forum_keys, key, id);
    if (!found || !found.keys || !(data.encryptcontent_id in found.keys)) {
      // Not of this page's level: a guest signing in on another page goes to their topic.
      const guest = await entry(data.forum_guests, key, id);
      if (guest && guest.keys && guest.page) {
        keep(guest.keys, user, remember);
        sessionStorage.setItem(USER, user);
        window.location.href = data.forum_base + data.forum_language + guest.page;
        return;
      }
      return refuse();
    }
    keep(found.keys, user, remember);
    if (!(await show(found.keys[data.encryptcontent_id]))) refuse();
  }

  function showForm(remembered) {
    decrypted.style.display = "";
    const box = document.getElementById("forum-remember");
    if (box && remembered) box.checked = true; // remembered before: offered again
    const form = document.getElementById("mkdocs-decrypt-form");
    if (form) form.addEventListener("submit", signIn); // the button, or Enter in a field
    window.encryptcontent_done = true;
    window.dispatchEvent(window.encryptcontent_event);
  }

  async function start() {
    const remembered = restoreRemembered();
    const kept = sessionStorage.getItem(data.encryptcontent_id);
    if (kept) {
      if (await show(kept)) return;
      showForm(forget(data.encryptcontent_id));
      return;
    }
    showForm(false);
  }

  start();
})();
