// health: the gradient-health view. Each edge is coloured by the size of what it carries
// (tables.health.bands); each gate whose row has a health rule (the gate table's health
// column: a saturated sigmoid or tanh, a dead relu, translated into kernels[key].unhealthy)
// is flagged with the row's own words, and so is an upstream gradient past
// tables.health.exploding. Nothing here names a gate.
"use strict";
var health = (function () {
  var on = false, shown = false;  // shown: the picture has colours to clear

  function band(size) {
    var bands = tables.health.bands, k = 0;
    while (k < bands.length && size >= bands[k]) { k++; }
    return k;
  }

  // What is wrong at gate i, as a message, or null.
  function flag(i, result, digits) {
    var node = page.nodes[i], kernel = kernels[node.key], gate = tables.gates[node.key];
    var args = node.inputs.map(function (j) { return result.data[j]; }), out = result.data[i];
    var local = result.local[i][0], up = result.grad[i];
    if (kernel.unhealthy && kernel.unhealthy.apply(null, args.concat([out, local]))) {
      return {msgid: gate.health, params: {a: numbers.num(args[0], digits), out: numbers.num(out, digits),
                                           local: numbers.num(local, Math.max(4, digits))}};
    }
    if (Math.abs(up) > tables.health.exploding) {
      return {msgid: "exploding gradient: {value}", params: {value: numbers.num(up, digits)}};
    }
    return null;
  }

  function paint() {
    if (!on && !shown) { return; }
    shown = on;
    var result = page.state(), notes = page.$("health-notes"), digits = page.digits();
    notes.textContent = "";
    document.body.classList.toggle("health", on);
    page.nodes.forEach(function (node, i) {
      if (node.leaf) { return; }
      var id = node.id.slice(1), up = result.grad[i];
      node.inputs.forEach(function (j, q) {
        var edge = page.$("e" + id + "_" + q);
        if (edge) { edge.setAttribute("data-band", on ? String(band(Math.abs(result.local[i][q] * up))) : ""); }
      });
      var said = on ? flag(i, result, digits) : null;
      picture.mark("g" + id, "flagged", said !== null);
      if (said) { notes.appendChild(page.element("li", words.say("{node}: {warning}", {node: page.name(i), warning: words.render(said)}))); }
    });
  }

  function start() {
    page.$("health-on").addEventListener("change", function () {
      on = page.$("health-on").checked;
      paint();
    });
  }

  return {start: start, paint: paint};
})();
