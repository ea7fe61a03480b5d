// page: the lesson's state and its one loop. The graph and its starting values come from
// Python as JSON (page.data); the leaves' values are edited here; engine.compute gives the
// numbers; a position (forward steps, then backward steps) says what the picture and the
// caption show. Each other part of the page paints from this state:
//   picture (the SVG's cells), captions (title, rule, lines), controls (keys, buttons, URL),
//   fields (the leaves' entries), paths (paths, nudge, readouts), update (w ← w − η·grad),
//   quiz and grading, health, handout (print), network (nn's neurons as boxes).
"use strict";
var page = (function () {
  var data = JSON.parse(document.getElementById("gg-data").textContent);
  var nodes = data.nodes, root = data.root;
  var values = nodes.map(function (n) { return n.leaf ? n.value : 0; });
  var result = null;  // the last good computation: {data, local, steps, grad, firedAt}
  var position = 0, digits = data.digits, selected = null;
  var gates = [];  // node indices of the gates, in evaluation order
  nodes.forEach(function (n, i) { if (!n.leaf) { gates.push(i); } });

  function $(id) { return document.getElementById(id); }
  function element(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function name(i) { return nodes[i].name; }

  // The gate view's positions: forward 0..F, then backward 0..B (network mode has its own).
  var gateView = {
    last: 2 * gates.length + 1,
    phaseOf: function (p) {
      return p <= gates.length ? ["forward", p] : ["backward", p - gates.length - 1];
    },
    paint: function (p) {
      var at = gateView.phaseOf(p), shown = at[1];
      if (at[0] === "backward" && quiz.holds(at[1])) { shown = at[1] - 1; }
      var current = picture.paint(at[0], at[1], shown);
      captions.show(at[0], at[1]);
      return current;
    }
  };
  var view = gateView;

  // New leaf values: computed, and kept only if the engine takes them; otherwise the last good
  // state stays and the refusal (a message) is returned for the caller to show.
  function edit(next) {
    var t0 = performance.now(), computed = engine.compute(nodes, root, next);
    if (computed.refusal) { return computed.refusal; }
    values = next.slice();
    result = computed;
    render();
    api.lastEdit = performance.now() - t0;
    return null;
  }

  function render() {
    var at = view.phaseOf(position), follow = view.paint(position);
    controls.show(position, view.last);
    if (view === gateView) { quiz.paint(at[0], at[1]); }
    health.paint();
    paths.paint(selected);
    picture.follow(follow);
  }

  function go(p) {
    p = Math.max(0, Math.min(view.last, p));
    var at = view.phaseOf(position);
    if (p > position && view === gateView && at[0] === "backward" && quiz.holds(at[1])) {
      quiz.focus();  // the quiz holds this step until it is answered
      return;
    }
    position = p;
    render();
    controls.announce();
  }

  function select(i) { selected = i; paths.paint(selected); }

  function setDigits(d) { digits = d; picture.squeeze(d); render(); }

  function start() {
    result = engine.compute(nodes, root, values);
    words.speak(data.lang);
    if (result.refusal) {  // the graph was built in Python, so this means a twin disagrees
      words.show($("alert"), result.refusal);
      return;
    }
    if (data.net) { view = network; network.start(); }
    picture.start();
    // The picture first: the panel opens by itself only where the whole graph still fits.
    if (!data.net && !picture.fits()) { controls.panel(false); picture.refit(); }
    fields.start();
    paths.start();
    controls.start();
    update.start();
    quiz.start();
    health.start();
    handout.start();
    position = controls.fromAddress();
    render();
  }

  var api = {
    data: data, nodes: nodes, root: root, gates: gates, $: $, element: element, name: name,
    start: start, go: go, edit: edit, render: render, select: select, setDigits: setDigits,
    lastEdit: 0,
    state: function () { return result; },
    values: function () { return values.slice(); },
    position: function () { return position; },
    last: function () { return view.last; },
    phaseOf: function (p) { return view.phaseOf(p); },
    digits: function () { return digits; },
    paintAt: function (p) { return view.paint(p); }  // the handout paints every position
  };
  return api;
})();
