// handout: the printed lesson. Print offers the whole lesson (every step, forward then
// backward) or the phase on screen; each step is the picture with its caption, several to an
// A4 page (print styles in page.css). Ctrl+P prints the last choice, the whole lesson at first.
"use strict";
var handout = (function () {
  var whole = true;

  function build() {
    var out = page.$("handout"), keep = page.position(), phase = page.phaseOf(keep)[0];
    var svg = document.querySelector("#diagram svg"), el = page.element;
    out.textContent = "";
    for (var p = 0; p <= page.last(); p++) {
      if (!whole && page.phaseOf(p)[0] !== phase) { continue; }
      page.paintAt(p);
      var figure = el("figure", undefined, "print-step picture"), caption = el("figcaption");
      caption.appendChild(el("h2", page.$("title").textContent));
      caption.appendChild(el("p", page.$("rule").textContent));
      caption.appendChild(el("pre", page.$("lines").textContent));
      figure.appendChild(caption);
      var copy = svg.cloneNode(true);
      copy.removeAttribute("id");
      copy.removeAttribute("style");
      copy.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
      figure.appendChild(copy);
      out.appendChild(figure);
    }
    page.render();  // the lesson goes on where it was
  }

  function choose(everything) {
    whole = everything;
    page.$("print-choices").hidden = true;
    build();
    window.print();
  }

  function start() {
    var $ = page.$;
    $("print").addEventListener("click", function () {
      var menu = $("print-choices");
      menu.hidden = !menu.hidden;
      $("print").setAttribute("aria-expanded", menu.hidden ? "false" : "true");
      if (!menu.hidden) { $("print-lesson").focus(); }
    });
    $("print-lesson").addEventListener("click", function () { choose(true); });
    $("print-phase").addEventListener("click", function () { choose(false); });
    window.addEventListener("beforeprint", build);
  }

  return {start: start, build: build};
})();
