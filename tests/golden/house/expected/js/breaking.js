// The breaking-news banner. Every build rewrites /breaking.json; this shows its newest
// story whose "until" has not passed, and removes the banner when that time comes, so
// it goes without a rebuild. The home page carries the banner in its HTML already.
(function () {
  "use strict";
  var banner = document.getElementById("breaking-banner");
  var timer = 0;

  function show(items) {
    var now = Date.now();
    var story = items.filter(function (item) { return Date.parse(item.until) > now; })[0];
    clearTimeout(timer);
    if (!story) {
      if (banner) banner.remove();
      banner = null;
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "breaking-banner";
      banner.id = "breaking-banner";
      banner.setAttribute("role", "region");
      banner.setAttribute("aria-label", "Breaking news");
      banner.innerHTML = '<p><strong class="breaking-label">Breaking</strong> <a></a></p>';
      var masthead = document.querySelector(".masthead");
      document.body.insertBefore(banner, masthead || document.body.firstChild);
    }
    var link = banner.querySelector("a");
    link.textContent = story.title;
    link.setAttribute("href", story.url);
    banner.setAttribute("data-until", story.until);
    var wait = Math.min(Date.parse(story.until) - now + 50, 2147483647);
    timer = setTimeout(function () { show(items); }, wait);
  }

  if (banner) {
    var baked = banner.querySelector("a");
    show([{ title: baked.textContent, url: baked.getAttribute("href"), until: banner.getAttribute("data-until") }]);
  }
  fetch("/breaking.json", { cache: "no-cache" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data && Array.isArray(data.breaking)) show(data.breaking); })
    .catch(function () { /* offline or opened from disk: keep what the page has */ });
})();
