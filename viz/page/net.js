// network: network mode, nn's neurons as boxes (the collapsed picture) over the same engine.
// Forward: layer by layer, neuron by neuron, then the loss's gates. Backward: the loss's gates,
// then for each layer its error terms δⱼ = σ′(sⱼ)·Σₖ wⱼₖδₖ and its weights' gradients
// ∂L/∂wᵢⱼ = Σₙ δⱼxᵢ, the sum over the samples. With several samples a chooser picks the sample
// the boxes and the lines show; every line names its sample, and each weight's gradient is
// written beside that sample's term as the sum over all of them.
"use strict";
var network = (function () {
  var net = page.data.net, forward = net.forward, backward = net.backward;
  var sample = 0, opened = null, openedAt = 0;

  function phaseOf(p) { return p <= forward.length ? ["forward", p] : ["backward", p - forward.length - 1]; }
  function neuron(j) { return net.neurons[j]; }
  function layerNeurons(layer) {
    var out = [];
    net.neurons.forEach(function (n, j) { if (n.layer === layer) { out.push(j); } });
    return out;
  }
  function unitGates(u) {  // the gates a unit fires
    if (u.gate !== undefined) { return [u.gate]; }
    if (u.neuron !== undefined) { return neuron(u.neuron).gates; }
    var out = [];
    layerNeurons(u.layer).forEach(function (j) {
      out = out.concat(u.kind === "delta" ? neuron(j).act_gates : neuron(j).sum_gates);
    });
    return out;
  }
  function unitNeurons(u) {
    if (u.neuron !== undefined) { return [u.neuron]; }
    return u.layer === undefined ? [] : layerNeurons(u.layer);
  }
  // "sample 2: ..." for a line of one sample, when there are several.
  function tag(k, line) { return net.samples > 1 && k >= 0 ? words.say("sample {n}: {line}", {n: k + 1, line: line}) : line; }

  // What a position shows: the nodes known (forward) and the gates fired (backward).
  function view(p) {
    var result = page.state(), at = phaseOf(p), n = page.nodes.length;
    var known = new Uint8Array(n), fired = {}, grad = new Float64Array(n).fill(NaN), done = new Uint8Array(n);
    page.nodes.forEach(function (node, i) { if (node.leaf) { known[i] = 1; } });
    (at[0] === "forward" ? forward.slice(0, at[1]) : forward).forEach(function (u) {
      unitGates(u).forEach(function (g) { known[g] = 1; });
    });
    if (at[0] === "backward") {
      backward.slice(0, at[1]).forEach(function (u) { unitGates(u).forEach(function (g) { fired[g] = 1; }); });
      grad[page.root] = 1.0;
      Object.keys(fired).forEach(function (g) {
        result.steps[result.firedAt[g]].inputs.forEach(function (r) {
          grad[r.node] = (grad[r.node] === grad[r.node] ? grad[r.node] : 0) + r.contribution;
        });
      });
      page.nodes.forEach(function (node, i) {
        done[i] = node.consumers.every(function (c) { return fired[c]; }) ? 1 : 0;
      });
    }
    return {result: result, phase: at[0], k: at[1], known: known, grad: grad, done: done,
            unit: at[1] ? (at[0] === "forward" ? forward : backward)[at[1] - 1] : null};
  }

  function paint(p) {
    var v = view(p), result = v.result, digits = page.digits(), num = numbers.num, follow = null;
    var dataWord = words.say("data"), gradWord = words.say("grad"), setCell = picture.setCell;
    page.nodes.forEach(function (node, i) {
      if (!page.$(node.id + "_d")) { return; }
      setCell(node.id + "_d", v.known[i] ? dataWord + " " + num(result.data[i], digits) : dataWord, "cell");
      var g = v.grad[i];
      setCell(node.id + "_g", g === g ? gradWord + " " + num(g, digits) + (v.done[i] ? "" : "…") : gradWord,
              g === g ? "cell grad" + (v.done[i] ? "" : " partial") : "cell unknown");
      if (!node.leaf) {
        var hot = v.unit !== null && v.unit.gate === i;
        picture.mark("g" + node.id.slice(1), "current", hot);
        if (hot) { follow = page.$("g" + node.id.slice(1)); }
        node.inputs.forEach(function (j, q) {
          var label = page.$("e" + node.id.slice(1) + "_" + q + "_t");
          if (label) { label.textContent = hot && v.phase === "backward" ? num(result.steps[result.firedAt[i]].inputs[q].contribution, digits) : ""; }
        });
      }
    });
    var hotNeurons = v.unit ? unitNeurons(v.unit) : [];
    net.neurons.forEach(function (n, j) {
      var s = n.s[sample], a = n.a[sample], on = v.known[s] === 1, hot = hotNeurons.indexOf(j) >= 0;
      setCell(n.box + "_s", on ? "s " + num(result.data[s], digits) : "s", "cell");
      if (a >= 0) { setCell(n.box + "_a", on ? n.act + " " + num(result.data[a], digits) : n.act, "cell"); }
      var d = v.done[s] ? v.grad[s] : NaN;
      setCell(n.box + "_d", d === d ? "δ " + num(d, digits) : "δ", d === d ? "cell grad" : "cell unknown");
      picture.mark(n.box, "current", hot);
      if (hot && !follow) { follow = page.$(n.box); }
    });
    if (v.unit && v.unit.layer !== undefined) { follow = page.$("cluster_L" + v.unit.layer) || follow; }
    caption(v);
    return follow;  // the gate, the neuron, or the whole layer in play
  }

  function sumLine(n, result, digits) {  // L1.N1.s = w1·x1 + w2·x2 + b, with numbers
    var op = numbers.operand, terms = n.weights.map(function (w) {
      return op(result.data[w[0]], digits) + " × " + op(result.data[w[1][sample]], digits);
    });
    if (n.bias >= 0) { terms.push(op(result.data[n.bias], digits)); }
    var s = n.s[sample];
    return tag(sample, page.name(s) + " = Σ wᵢxᵢ + b = " + terms.join(" + ") + " = " + numbers.num(result.data[s], digits));
  }
  function deltaLine(n, result, last, digits) {
    var s = n.s[sample], a = n.a[sample];
    var slope = a >= 0 ? result.local[a][0] : 1.0, above = result.grad[a >= 0 ? a : s];
    var shown = numbers.product(slope, above, result.grad[s], digits, false);
    return tag(sample, "δ(" + n.key + ") = σ′(s) · " + (last ? "∂" + page.name(page.root) + "/∂a" : "Σₖ wₖδₖ") +
      " = " + shown[0] + " × " + shown[1] + " = " + shown[2]);
  }
  // The weights of a layer as one compact table: a row per neuron, a column per parameter;
  // each cell the gradient, the sum over the samples, and below it the chosen sample's term
  // δ·x with the numbers of that same sample (one sample: the term is the gradient).
  function weightTable(layer, result, digits) {
    var el = page.element, many = net.samples > 1, table = el("table", undefined, "weights");
    var rows = layerNeurons(layer).map(neuron), head = el("tr");
    function times(a, b, c) { var shown = numbers.product(a, b, c, digits, false); return shown[0] + " × " + shown[1] + " = " + shown[2]; }
    if (many) { table.appendChild(el("caption", words.say("the terms of sample {n} of {count}; Σ: the sum over the samples", {n: sample + 1, count: net.samples}))); }
    head.appendChild(el("th", ""));
    rows[0].weights.forEach(function (w, q) { head.appendChild(el("th", "w" + (q + 1) + " · " + page.name(w[1][sample]).replace(/^.*\./, ""))); });
    if (rows[0].bias >= 0) { head.appendChild(el("th", "b")); }
    table.appendChild(head);
    rows.forEach(function (n) {
      var tr = el("tr"), delta = result.grad[n.s[sample]];
      tr.appendChild(el("th", n.key));
      n.weights.forEach(function (w) {
        var x = result.data[w[1][sample]], grad = result.grad[w[0]];
        tr.appendChild(el("td", many ? "Σ " + numbers.num(grad, digits) + "\n" + times(delta, x, delta * x) : times(delta, x, grad)));
      });
      if (n.bias >= 0) {
        tr.appendChild(el("td", many ? "Σ " + numbers.num(result.grad[n.bias], digits) + "\n" + numbers.num(delta, digits) :
                                       numbers.num(result.grad[n.bias], digits)));
      }
      table.appendChild(tr);
    });
    return table;
  }

  function caption(v) {
    var result = v.result, u = v.unit, root = page.name(page.root), digits = page.digits();
    var n = v.phase === "forward" ? forward.length : backward.length, title, rule = "", lines = [], table = null;
    if (v.phase === "forward" && !u) {
      title = words.say("Forward pass, layer by layer: {count} neurons", {count: net.neurons.length});
      rule = words.say("The inputs are set. Each neuron computes s = Σ wᵢxᵢ + b, then its activation a.");
      lines = [tag(sample, page.data.inputs.filter(function (i) { return net.sample_of[i] === sample || net.sample_of[i] < 0; })
        .map(function (i) { return page.name(i) + " = " + numbers.num(result.data[i], digits); }).join(", "))];
    } else if (v.phase === "forward" && u.neuron !== undefined) {
      var nr = neuron(u.neuron), a = nr.a[sample];
      title = words.say("Forward step {k} of {n}: neuron {neuron}", {k: v.k, n: n, neuron: nr.key});
      lines = [sumLine(nr, result, digits)];
      if (a >= 0) { lines.push(tag(sample, page.name(a) + " = " + nr.act + "(" + numbers.num(result.data[nr.s[sample]], digits) + ") = " + numbers.num(result.data[a], digits))); }
    } else if (u && u.gate !== undefined) {
      var key = page.nodes[u.gate].key, own = net.sample_of[u.gate];
      var params = {k: v.k, n: n, gate: words.gateTitle(key), node: page.name(u.gate)};
      title = v.phase === "forward" ? words.say("Forward step {k} of {n}: {gate} → {node}", params) :
        words.say("Backward step {k} of {n}: {gate} at {node}", params);
      if (v.phase === "backward") { rule = words.say(tables.gates[key].rule); }
      lines = (v.phase === "forward" ? [captions.forwardLine(u.gate)] : captions.chainLines(result.firedAt[u.gate] + 1))
        .map(function (line) { return tag(own, line); });
    } else if (!u) {
      title = words.say("Backward pass, layer by layer");
      rule = words.say("Backward starts at the output with d{root}/d{root} = 1. Each gate then sends upstream × local derivative to each of its inputs.", {root: root});
      lines = [words.fill(tables.lines.seed, {root: root})];
    } else if (u.kind === "delta") {
      var last = u.layer === net.layers;
      title = words.say("Backward step {k} of {n}: error terms δ of layer {layer}", {k: v.k, n: n, layer: "L" + u.layer});
      rule = last ? words.say("The output layer: δ = σ′(s) · ∂{root}/∂a, the activation's slope times what the loss sends.", {root: root}) :
        words.say("δⱼ = σ′(sⱼ) · Σₖ wⱼₖδₖ: a hidden neuron's error term is its activation's slope times the next layer's error terms, weighted.");
      unitNeurons(u).forEach(function (j) { lines.push(deltaLine(neuron(j), result, last, digits)); });
    } else {
      title = words.say("Backward step {k} of {n}: weights of layer {layer}", {k: v.k, n: n, layer: "L" + u.layer});
      rule = net.samples > 1 ?
        words.say("∂{root}/∂wᵢⱼ = Σₙ δⱼxᵢ: each weight's gradient is the sum over the samples of its neuron's δ times the input it multiplies; the bias gets Σₙ δ.", {root: root}) :
        words.say("∂{root}/∂wᵢⱼ = δⱼ · xᵢ: each weight's gradient is its neuron's δ times the input it multiplies; the bias gets δ.", {root: root});
      table = weightTable(u.layer, result, digits);
    }
    captions.write(title, rule, lines, v.phase === "backward");
    if (table) { page.$("table").appendChild(table); }
    paintOpened();
  }

  // -- a neuron opened: its gates in the chosen sample, one at a time, forward then backward --
  function entries(n) {
    var result = page.state(), out = [];
    var own = n.gates.filter(function (g) { return net.sample_of[g] === sample; });
    own.forEach(function (g) { out.push([words.say("forward"), captions.forwardLine(g)]); });
    own.slice().sort(function (a, b) { return result.firedAt[a] - result.firedAt[b]; }).forEach(function (g) {
      out.push([words.say("backward") + " · " + words.say(tables.gates[page.nodes[g].key].rule),
                captions.chainLines(result.firedAt[g] + 1).join("\n")]);
    });
    return out;
  }
  function paintOpened() {
    var box = page.$("neuron-gates"), el = page.element;
    box.textContent = "";
    if (opened === null) { return; }
    var n = neuron(opened), list = entries(n);
    openedAt = Math.max(0, Math.min(list.length - 1, openedAt));
    box.appendChild(el("h2", words.say("Gates of {neuron}", {neuron: n.key})));
    var prev = el("button", "◀"), next = el("button", "▶");
    prev.type = next.type = "button";
    prev.setAttribute("aria-label", words.say("previous gate"));
    next.setAttribute("aria-label", words.say("next gate"));
    prev.addEventListener("click", function () { openedAt--; paintOpened(); });
    next.addEventListener("click", function () { openedAt++; paintOpened(); });
    box.appendChild(prev);
    box.appendChild(el("span", " " + (openedAt + 1) + " / " + list.length + " ", "count"));
    box.appendChild(next);
    box.appendChild(el("p", tag(sample, list[openedAt][0]), "kind"));
    box.appendChild(el("pre", list[openedAt][1]));
  }

  function start() {
    document.body.classList.add("network");
    net.neurons.forEach(function (n, j) {
      var box = page.$(n.box);
      if (box) {
        box.addEventListener("click", function () {
          opened = j;
          openedAt = 0;
          document.body.classList.remove("no-panel");  // the gates open in the side panel
          paintOpened();
          page.$("neuron-gates").scrollIntoView({block: "start"});
        });
      }
    });
    var chooser = page.$("sample");
    if (net.samples > 1) {
      for (var k = 0; k < net.samples; k++) { chooser.appendChild(page.element("option", String(k + 1))); }
      chooser.addEventListener("change", function () { sample = chooser.selectedIndex; chooser.blur(); page.render(); });
      page.$("sample-choice").hidden = false;
    }
  }

  return {last: forward.length + backward.length + 1, phaseOf: phaseOf, paint: paint, start: start,
          sample: function () { return sample; }};
})();
