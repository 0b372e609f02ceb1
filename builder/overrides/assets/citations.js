/* Citation tooltips and copy buttons of the sourced explainer (no request leaves the site).

   A marker's tooltip opens on hover, keyboard focus or a tap, and is placed inside the window: above the
   marker when there is room below the header, else below it, never past the left or right edge. A tap
   opens it (a second tap follows the marker to its reference); a tap outside, its close button or Escape
   dismisses it. Copy buttons put the text of the element they name on the clipboard. Everything is done
   by delegation on the document, so it also works on pages the theme loads without a full reload. */
(function () {
  "use strict";
  var MARGIN = 8;
  var GAP = 2;
  var NARROW = window.matchMedia("(max-width: 44.9375em)");
  var open = null; // the .cite whose tooltip is shown
  var dismissed = null; // the .cite dismissed with Escape while the pointer or focus is still on it
  var touch = false; // the last pointer was a finger or a pen
  var closing = 0;

  document.documentElement.classList.add("cites-js");

  function headerBottom() {
    var header = document.querySelector(".md-header");
    return header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  }

  function place(cite) {
    var tip = cite.querySelector(".cite-tip");
    var ref = cite.querySelector(".cite-ref");
    if (!tip || !ref) return;
    cite.classList.remove("cite--placed");
    tip.style.left = tip.style.top = tip.style.maxHeight = "";
    if (NARROW.matches) return; // a sheet along the bottom of the window (CSS)
    var width = document.documentElement.clientWidth;
    var top = headerBottom() + MARGIN;
    var bottom = window.innerHeight - MARGIN;
    var anchor = ref.getBoundingClientRect();
    var box = tip.getBoundingClientRect();
    var above = anchor.top - GAP - top;
    var below = bottom - anchor.bottom - GAP;
    var height = box.height;
    var y;
    if (height <= above) {
      y = anchor.top - GAP - height;
    } else if (height <= below) {
      y = anchor.bottom + GAP;
    } else if (above > below) {
      height = Math.max(above, 40);
      y = top;
    } else {
      height = Math.max(below, 40);
      y = anchor.bottom + GAP;
    }
    var x = anchor.left + anchor.width / 2 - box.width / 2;
    x = Math.max(MARGIN, Math.min(x, width - MARGIN - box.width));
    cite.classList.add("cite--placed");
    var base = cite.getBoundingClientRect();
    if (height < box.height) tip.style.maxHeight = height + "px";
    tip.style.left = x - base.left + "px";
    tip.style.top = y - base.top + "px";
  }

  function show(cite) {
    window.clearTimeout(closing);
    if (cite === dismissed) return;
    if (open && open !== cite) hide(open);
    open = cite;
    cite.classList.add("cite--open");
    place(cite);
  }

  function hide(cite) {
    cite.classList.remove("cite--open", "cite--pinned", "cite--placed");
    var tip = cite.querySelector(".cite-tip");
    if (tip) tip.style.left = tip.style.top = tip.style.maxHeight = "";
    if (open === cite) open = null;
  }

  function citeOf(node) {
    return node && node.closest ? node.closest(".cite") : null;
  }

  document.addEventListener("pointerdown", function (event) {
    touch = event.pointerType === "touch" || event.pointerType === "pen";
    if (open && !open.contains(event.target)) hide(open);
  });
  document.addEventListener("keydown", function (event) {
    touch = false;
    if (event.key === "Escape" && open) {
      // Hidden until the pointer and focus have left it (else the next mouse move would show it again).
      dismissed = open.matches(":hover") || open.contains(document.activeElement) ? open : null;
      hide(open);
    }
  });
  document.addEventListener("mouseover", function (event) {
    var cite = citeOf(event.target);
    if (cite && !touch) show(cite);
  });
  document.addEventListener("mouseout", function (event) {
    var cite = citeOf(event.target);
    if (!cite || cite.contains(event.relatedTarget)) return;
    if (dismissed === cite) dismissed = null;
    if (cite === open && !cite.classList.contains("cite--pinned") && !cite.contains(document.activeElement)) {
      closing = window.setTimeout(function () {
        if (open === cite && !cite.matches(":hover")) hide(cite);
      }, 300);
    }
  });
  document.addEventListener("focusin", function (event) {
    var cite = citeOf(event.target);
    if (cite && !touch) show(cite);
  });
  document.addEventListener("focusout", function (event) {
    var cite = citeOf(event.target);
    if (!cite || cite.contains(event.relatedTarget)) return;
    if (dismissed === cite) dismissed = null;
    if (cite === open && !cite.classList.contains("cite--pinned") && !cite.matches(":hover")) hide(cite);
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var close = target.closest(".cite-close");
    if (close) {
      hide(citeOf(close));
      return;
    }
    var ref = target.closest(".cite-ref");
    if (ref && touch) {
      var cite = citeOf(ref);
      if (!cite.classList.contains("cite--pinned")) {
        event.preventDefault(); // the first tap opens the tooltip; a second tap follows the link
        dismissed = null;
        show(cite);
        cite.classList.add("cite--pinned");
        return;
      }
      hide(cite);
    }
    var copy = target.closest(".cite-copy");
    if (copy) copyText(copy);
  });
  window.addEventListener(
    "scroll",
    function () {
      if (open) place(open);
    },
    { passive: true }
  );
  window.addEventListener("resize", function () {
    if (open) place(open);
  });

  function copyText(button) {
    var source = document.getElementById(button.getAttribute("data-copy") || "");
    var text = button.getAttribute("data-copy-text") || (source ? source.textContent : "");
    if (!text) return;
    var status = button.parentNode.querySelector(".cite-copy-status");
    function done() {
      if (status) status.textContent = button.getAttribute("data-done") || "";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        fallback(text) && done();
      });
    } else if (fallback(text)) {
      done();
    }
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function reveal() {
    document.querySelectorAll(".cite-copy[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(reveal);
})();
