/* The sourced explainer's reading aids: keeps the pages a reader has visited working offline.
   sw.js (a service worker of our own, scoped to the site's folder) caches same-origin pages and files
   as they are fetched; here it is registered, and told about this page and the files it loaded before
   the worker took control, so that this first page too opens offline. Nothing goes to another host. */
(function () {
  "use strict";
  /* On phones the closed search form is hidden (out of the Tab order, layout.css): the theme's "/", "s"
     and "f" keys open it here first, then go to the search box, as the theme's own keys do. */
  document.addEventListener("keydown", function (event) {
    var toggle = document.getElementById("__search");
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!toggle || toggle.checked || typing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var input = document.querySelector(".md-search__input");
    if (input && (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      input.focus();
      input.select();
    }
  }, true);
  /* The theme focuses the search box as the search button is pressed, before the form shows: focus it
     once it does. */
  var toggle = document.getElementById("__search");
  var input = document.querySelector(".md-search__input");
  if (toggle && input) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) {
        input.focus();
      }
    });
  }

  /* The header's menu and search buttons (real buttons, so Tab reaches them) open and close the theme's
     drawer and search as its labels did, by clicking the theme's toggle, and say whether they are open.
     Escape closes the drawer (the theme closes the search on Escape) and goes back to the menu button. */
  var buttons = document.querySelectorAll(".md-header__button[data-toggle]");
  Array.prototype.forEach.call(buttons, function (button) {
    var box = document.getElementById(button.getAttribute("data-toggle"));
    if (!box) {
      return;
    }
    button.addEventListener("click", function () {
      box.click();
    });
    function expanded() {
      button.setAttribute("aria-expanded", box.checked ? "true" : "false");
    }
    box.addEventListener("change", expanded);
    expanded();
    if (box.id === "__drawer") {
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && box.checked) {
          box.click();
          button.focus();
        }
      });
    }
  });

  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  var worker = new URL(script.getAttribute("data-service-worker"), location.href);
  var scope = new URL("./", worker).href;
  function loaded() {
    var urls = [location.href.split("#")[0]];
    performance.getEntriesByType("resource").forEach(function (entry) {
      if (entry.name.indexOf(scope) === 0) {
        urls.push(entry.name.split("#")[0]);
      }
    });
    return urls;
  }
  /* After the page has loaded, so as not to compete with it. */
  function register() {
    navigator.serviceWorker.register(worker.href, { scope: scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ cache: loaded() });
      }
    }).catch(function () {
      /* Offline reading is an extra: without it the site works as before. */
    });
  }
  if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register);
  }
})();
