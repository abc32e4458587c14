// An open live blog: every data-live-poll seconds the page fetches itself again and
// puts in the updates it does not show yet (and any that were edited), in the page's
// order, newest first. At data-live-until polling stops and the "Live" badge goes.
(function () {
  "use strict";
  var list = document.querySelector("[data-live-updates][data-live-poll]");
  if (!list) return;
  var seconds = Math.max(5, Number(list.getAttribute("data-live-poll")) || 30);
  var until = Date.parse(list.getAttribute("data-live-until") || "");

  function end() {
    document.querySelectorAll(".badge-live").forEach(function (badge) { badge.remove(); });
  }

  function merge(fresh) {
    var previous = null;
    fresh.querySelectorAll(".live-update[id]").forEach(function (update) {
      var node = document.getElementById(update.id);
      if (!node || node.innerHTML !== update.innerHTML) {
        var copy = document.importNode(update, true);
        if (node) node.replaceWith(copy);
        node = copy;
      }
      var place = previous ? previous.nextElementSibling : list.firstElementChild;
      if (place !== node) list.insertBefore(node, place);
      previous = node;
    });
    var updated = fresh.ownerDocument.querySelector(".byline .updated");
    var current = document.querySelector(".byline .updated");
    if (updated && current) current.replaceWith(document.importNode(updated, true));
  }

  function poll() {
    if (until <= Date.now()) return end();
    fetch(location.pathname, { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-live-updates]");
        if (fresh) merge(fresh);
        if (fresh && !fresh.hasAttribute("data-live-poll")) return end();
        setTimeout(poll, seconds * 1000);
      })
      .catch(function () { setTimeout(poll, seconds * 1000); });
  }

  setTimeout(poll, seconds * 1000);
})();
