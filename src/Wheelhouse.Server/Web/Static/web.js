// Wheelhouse web pages: copy buttons and filter-as-you-type. Every page works without this file.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) { return; }
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) { return; }
  navigator.clipboard.writeText(source.textContent).then(function () {
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = "Copy"; }, 1500);
  });
});
(function () {
  var input = document.getElementById("project-filter");
  var list = document.getElementById("project-list");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = input.getAttribute("data-filter-url") + "?q=" + encodeURIComponent(input.value);
      fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("project-list");
          if (fresh) { list.replaceChildren.apply(list, Array.from(fresh.childNodes)); history.replaceState(null, "", url); }
        });
    }, 200);
  });
})();
