// The menu toggle on narrow screens and the cookie notice, remembered in localStorage.
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
    document.body.classList.add("has-cookie-notice");
    document.getElementById("cookie-accept").addEventListener("click", function () {
      try { window.localStorage.setItem(key, "yes"); } catch (e) { /* private mode: hide for now */ }
      notice.hidden = true;
      document.body.classList.remove("has-cookie-notice");
    });
  }
})();
