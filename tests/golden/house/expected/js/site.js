// The section menu on narrow screens and the cookie notice, whose acceptance is
// remembered in localStorage so it stays hidden on every page.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  var notice = document.getElementById("cookie-notice");
  var key = "newsgen-cookies-accepted";
  var accepted = false;
  try { accepted = window.localStorage.getItem(key) === "yes"; } catch (e) { accepted = false; }
  if (notice && !accepted) {
    notice.hidden = false;
    document.getElementById("cookie-accept").addEventListener("click", function () {
      try { window.localStorage.setItem(key, "yes"); } catch (e) { /* storage blocked: hide for this page */ }
      notice.hidden = true;
    });
  }

  // Recent Posts: a page is built with the stories published up to its own date, so
  // that a new story does not rewrite every page; here the newest replace them.
  var recent = document.querySelector("aside[data-recent-posts]");
  if (recent && window.fetch && window.DOMParser) {
    fetch(recent.getAttribute("data-recent-posts"), { cache: "no-cache" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var fresh = new DOMParser().parseFromString(data.html, "text/html").querySelectorAll(".recent-posts > li");
      var count = parseInt(recent.getAttribute("data-count"), 10);
      var kept = [];
      for (var i = 0; i < fresh.length && kept.length < count; i++) {
        var link = fresh[i].querySelector("a");
        if (link && link.getAttribute("href") === location.pathname) { continue; }
        kept.push(document.importNode(fresh[i], true));
      }
      if (kept.length) {
        var list = recent.querySelector(".recent-posts");
        list.replaceChildren.apply(list, kept);
      }
    }).catch(function () { /* offline or not found: keep the stories the page was built with */ });
  }
})();
