// picture: the one SVG dot laid out, its numbers written into the text nodes Python named
// (n3_d: data, n3_g: grad, e5_0_t: what a gate sends along an edge), and how it is shown on
// a projector: the whole picture where its text is at least 14 px, else 14 px text with the
// view following the active gate. + and − zoom, ⤢ shows the whole graph whatever its size.
"use strict";
var picture = (function () {
  var READABLE = 1.0;  // px per SVG unit at which the picture's smallest text (14) is 14 px
  var svg = null, box = null, zoom = 1, whole = false, squeezing = false;

  // Cells remember what they show, so a repaint touches only what changed (one frame, 16 ms).
  var cells = {};
  function setCell(id, text, classes) {
    var c = cells[id];
    if (c === undefined) {
      var t = page.$(id), border = t && t.previousElementSibling;
      c = cells[id] = t ? {t: t, box: border && border.tagName === "polygon" ? border : null,
                           text: null, cls: null} : null;
    }
    if (c === null) { return; }
    if (c.text !== text) {
      if (c.t.firstChild && c.t.firstChild.nodeType === 3 && !c.t.firstChild.nextSibling) { c.t.firstChild.data = text; }
      else { c.t.textContent = text; }
      c.text = text;
      if (squeezing && c.box) { squeeze(c); }
    }
    if (c.cls !== classes) {
      c.t.setAttribute("class", classes);
      if (c.box) { c.box.setAttribute("class", classes); }
      c.cls = classes;
    }
  }
  // More digits than the layout was made for: a text wider than its cell is narrowed to fit.
  function squeeze(c) {
    c.t.removeAttribute("textLength");
    var room = c.box.getBBox().width - 12;
    if (squeezing && c.t.getComputedTextLength() > room) {
      c.t.setAttribute("textLength", String(room));
      c.t.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  }
  var found = {};
  function mark(id, cls, on) {
    var e = found[id];
    if (e === undefined) { e = found[id] = page.$(id); }
    if (e && e.classList.contains(cls) !== on) { e.classList.toggle(cls, on); }
  }

  // Gradients after k backward steps (NaN: not reached yet).
  function gradsAt(result, k) {
    var g = new Float64Array(page.nodes.length).fill(NaN);
    g[page.root] = 1.0;
    for (var s = 0; s < k; s++) {
      result.steps[s].inputs.forEach(function (r) { g[r.node] = r.after; });
    }
    return g;
  }
  function final(result, j, k) {  // has every gate that reads node j fired in the first k?
    return page.nodes[j].consumers.every(function (c) { return result.firedAt[c] < k; });
  }

  // The gate view after k steps of a phase; shownK < k while the quiz holds step k back.
  // Returns the element to follow: the active gate.
  function paint(phase, k, shownK) {
    var result = page.state(), nodes = page.nodes, digits = page.digits(), n = nodes.length;
    var known = new Uint8Array(n), grads = null, current = -1, fresh = {}, i;
    if (phase === "forward") {
      for (i = 0; i < n; i++) { known[i] = nodes[i].leaf ? 1 : 0; }
      for (i = 0; i < k; i++) { known[page.gates[i]] = 1; }
      if (k) { current = page.gates[k - 1]; }
    } else {
      known.fill(1);
      grads = gradsAt(result, shownK);
      if (k) {
        current = result.steps[k - 1].node;
        result.steps[k - 1].inputs.forEach(function (r) { fresh[r.node] = 1; });
      }
    }
    var dataWord = words.say("data"), gradWord = words.say("grad"), back = phase === "backward";
    for (i = 0; i < n; i++) {
      var id = nodes[i].id;
      setCell(id + "_d", known[i] ? dataWord + " " + numbers.num(result.data[i], digits) : dataWord,
              "cell" + (!back && i === current ? " fresh-data" : ""));
      if (grads === null || grads[i] !== grads[i]) {
        setCell(id + "_g", gradWord, "cell unknown" + (fresh[i] ? " fresh-grad" : ""));
      } else {
        var partial = !final(result, i, shownK);
        setCell(id + "_g", gradWord + " " + numbers.num(grads[i], digits) + (partial ? "…" : ""),
                "cell grad" + (partial ? " partial" : "") + (fresh[i] && shownK === k ? " fresh-grad bold" : ""));
      }
      if (!nodes[i].leaf) {
        var hot = i === current, gate = "g" + id.slice(1);
        mark(gate, "current", hot);
        nodes[i].inputs.forEach(function (j, q) {
          var edge = "e" + id.slice(1) + "_" + q, label = page.$(edge + "_t");
          mark(edge, "hot", hot && !back);
          mark(edge, "hot-back", hot && back);
          if (label) {
            label.textContent = hot && back ?
              (shownK === k ? numbers.num(result.steps[k - 1].inputs[q].contribution, digits) : "?") : "";
          }
        });
        mark("e" + id.slice(1) + "_out", "hot", hot && !back);
      }
      mark(id, "upstream", i === current && back);
    }
    var follow = current >= 0 ? current : back ? page.root : page.gates[0];
    return follow === undefined ? null : page.$("g" + nodes[follow].id.slice(1)) || page.$(nodes[follow].id);
  }

  // -- on the projector ---------------------------------------------------------------------
  function fitScale() {
    var stage = page.$("stage").getBoundingClientRect(), view = svg.viewBox.baseVal;
    return Math.min(stage.width / view.width, stage.height / view.height);
  }
  function layout() {
    var stage = page.$("stage").getBoundingClientRect(), view = svg.viewBox.baseVal;
    box.style.width = stage.width + "px";
    box.style.height = stage.height + "px";
    var fit = fitScale();
    var scale = whole ? fit * zoom : Math.max(fit, READABLE) * zoom;
    var w = view.width * scale, h = view.height * scale;
    svg.style.width = w + "px";
    svg.style.height = h + "px";
    svg.style.marginLeft = Math.max(0, (stage.width - w) / 2) + "px";
    svg.style.marginTop = Math.max(0, (stage.height - h) / 2) + "px";
    page.$("zoom-out").setAttribute("aria-pressed", whole ? "true" : "false");
  }
  var following = null;
  function follow(target) {  // keep the active gate in the middle of the view
    following = target;
    if (!target || (box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight)) { return; }
    var r = target.getBoundingClientRect(), v = box.getBoundingClientRect();
    box.scrollLeft += (r.left + r.width / 2) - (v.left + v.width / 2);
    box.scrollTop += (r.top + r.height / 2) - (v.top + v.height / 2);
  }
  function zoomBy(factor) {  // factor 0: back to the projector's choice
    zoom = factor ? Math.max(0.25, Math.min(8, zoom * factor)) : 1;
    if (!factor) { whole = false; }
    layout();
    follow(following);
  }
  function toggleWhole() { whole = !whole; zoom = 1; layout(); follow(following); }

  function refit() { layout(); follow(following); }

  function start() {
    page.data.clusters.forEach(function (c) {  // "layer L1", said in the language chosen
      var label = page.$(c.id);
      if (label) { words.show(label, c); }
    });
    box = page.$("diagram");
    svg = box.querySelector("svg");
    layout();
    if (window.ResizeObserver) {
      new ResizeObserver(refit).observe(page.$("stage"));
    }
  }

  return {setCell: setCell, mark: mark, paint: paint, start: start, follow: follow,
          fits: function () { return fitScale() >= READABLE; }, refit: refit,
          zoomBy: zoomBy, toggleWhole: toggleWhole,
          squeeze: function (d) {
            squeezing = d > page.data.digits;
            Object.keys(cells).forEach(function (id) { var c = cells[id]; if (c && c.box) { squeeze(c); } });
          },
          scale: function () { return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }};
})();
