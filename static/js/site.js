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
})();
