// Material's helpers for the settings it keeps in localStorage (its partial
// partials/javascripts/base.html writes them as an inline script, which the forum's
// Content-Security-Policy does not run). Same code; the scope comes from data-scope.
/* eslint-disable no-var */
var __md_scope = new URL(document.currentScript.dataset.scope || ".", location);
var __md_hash = function (e) {
  return [...e].reduce(function (e, _) { return (e << 5) - e + _.charCodeAt(0); }, 0);
};
var __md_get = function (e, _ = localStorage, t = __md_scope) {
  return JSON.parse(_.getItem(t.pathname + "." + e));
};
var __md_set = function (e, _, t = localStorage, a = __md_scope) {
  try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {}
};
