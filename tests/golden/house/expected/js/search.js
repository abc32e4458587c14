// The search page: queries the Pagefind index written by `newsgen build`, no other requests.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var engine = null;
  var latest = 0;

  // One Pagefind bundle per month of stories, newest first: the newest is loaded and
  // the others merged into it, so a query searches the whole archive.
  function load() {
    if (!engine) {
      var bundles = form.getAttribute("data-bundles").split(" ").filter(Boolean);
      if (!bundles.length) { return Promise.reject(new Error("no articles indexed")); }
      engine = import(bundles[0] + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ basePath: bundles[0] }).then(function () {
          return Promise.all(bundles.slice(1).map(function (bundle) {
            return pagefind.mergeIndex(bundle);
          }));
        }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    var h2 = document.createElement("h2");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    h2.appendChild(a);
    li.appendChild(h2);
    var p = document.createElement("p");
    p.innerHTML = data.excerpt; // Pagefind's excerpt: escaped page text with <mark> around hits
    li.appendChild(p);
    if (data.meta.date) {
      var date = document.createElement("p");
      date.className = "search-date";
      date.textContent = data.meta.date;
      li.appendChild(date);
    }
    return li;
  }

  function run(query) {
    var ticket = ++latest;
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (found) {
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (results) {
      if (ticket !== latest) { return; }
      results.forEach(function (data) { list.appendChild(item(data)); });
      status.textContent = results.length === 0 ? "No articles match “" + query + "”." :
        results.length + (results.length === 1 ? " article" : " articles") + " found for “" + query + "”.";
    }).catch(function () {
      status.textContent = "Search is not available right now.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial.trim()); }
})();
