// Network mode: the same engine, stepped by neuron and by layer over the collapsed picture
// (each nn neuron one box). Forward: layer by layer, neuron by neuron. Backward: the loss's
// gates, then for each layer its error terms δ, then its weights' gradients ∂L/∂w = δ·x.
(function () {
  var D = GG.data, NET = D.net, t = GG.tools, T = t.T, name = t.name, el = t.el, $ = t.$;
  var DIG = D.digits, FU = NET.forward, BU = NET.backward, ROOT = D.root;
  var opened = null, openedAt = 0;

  function phaseOf(p) { return p <= FU.length ? ["forward", p] : ["backward", p - FU.length - 1]; }
  function neuron(j) { return NET.neurons[j]; }
  function unitGates(u) {  // the gates a unit fires
    if (u.gate !== undefined) { return [u.gate]; }
    if (u.neuron !== undefined) { return neuron(u.neuron).gates; }
    var out = [];
    NET.neurons.forEach(function (n) {
      if (n.layer === u.layer) { out = out.concat(u.kind === "delta" ? n.act_gates : n.sum_gates); }
    });
    return out;
  }
  function unitNeurons(u) {
    if (u.neuron !== undefined) { return [u.neuron]; }
    if (u.layer === undefined) { return []; }
    var out = [];
    NET.neurons.forEach(function (n, j) { if (n.layer === u.layer) { out.push(j); } });
    return out;
  }

  // What a position shows: the nodes known (forward) and the gates fired (backward).
  function view(p) {
    var S = GG.state(), pk = phaseOf(p), known = new Uint8Array(D.nodes.length), fired = {};
    var units = pk[0] === "forward" ? FU.slice(0, pk[1]) : FU;
    D.nodes.forEach(function (n, i) { if (n.leaf) { known[i] = 1; } });
    units.forEach(function (u) { unitGates(u).forEach(function (g) { known[g] = 1; }); });
    if (pk[0] === "backward") {
      BU.slice(0, pk[1]).forEach(function (u) { unitGates(u).forEach(function (g) { fired[g] = 1; }); });
    }
    var grad = new Float64Array(D.nodes.length).fill(NaN), done = new Uint8Array(D.nodes.length);
    if (pk[0] === "backward") {
      grad[ROOT] = 1.0;
      Object.keys(fired).forEach(function (g) {
        S.steps[S.firedAt[g]].ins.forEach(function (r) {
          grad[r.node] = (grad[r.node] === grad[r.node] ? grad[r.node] : 0) + r.c;
        });
      });
      D.nodes.forEach(function (n, i) {
        done[i] = n.consumers.every(function (c) { return fired[c]; }) ? 1 : 0;
      });
    }
    return {S: S, phase: pk[0], k: pk[1], known: known, grad: grad, done: done,
            unit: pk[1] ? (pk[0] === "forward" ? FU : BU)[pk[1] - 1] : null};
  }

  function paint(p) {
    var v = view(p), S = v.S, follow = null, data = T("data"), gradWord = T("grad");
    D.nodes.forEach(function (n, i) {
      if (!$(n.id + "_d")) { return; }
      t.setCell(n.id + "_d", v.known[i] ? data + " " + num(S.data[i], DIG) : data, "cell");
      var g = v.grad[i];
      t.setCell(n.id + "_g", g === g ? gradWord + " " + num(g, DIG) + (v.done[i] ? "" : "…") : gradWord,
                g === g ? "cell grad" + (v.done[i] ? "" : " partial") : "cell unknown");
      if (!n.leaf) {
        var hot = v.unit !== null && v.unit.gate === i;
        t.mark("g" + n.id.slice(1), "current", hot);
        if (hot) { follow = $("g" + n.id.slice(1)); }
        n.inputs.forEach(function (j, q) {
          var label = $("e" + n.id.slice(1) + "_" + q + "_t");
          if (label) { label.textContent = hot && v.phase === "backward" ? num(S.steps[S.firedAt[i]].ins[q].c, DIG) : ""; }
        });
      }
    });
    var hotNeurons = v.unit ? unitNeurons(v.unit) : [];
    NET.neurons.forEach(function (n, j) {
      var on = v.known[n.s] === 1, hot = hotNeurons.indexOf(j) >= 0;
      t.setCell(n.box + "_s", on ? "s " + num(S.data[n.s], DIG) : "s", "cell");
      if (n.a >= 0) { t.setCell(n.box + "_a", on ? n.act + " " + num(S.data[n.a], DIG) : n.act, "cell"); }
      var d = v.done[n.s] ? v.grad[n.s] : NaN;
      t.setCell(n.box + "_d", d === d ? "δ " + num(d, DIG) : "δ", d === d ? "cell grad" : "cell unknown");
      t.mark(n.box, "current", hot);
      if (hot && !follow) { follow = $(n.box); }
    });
    caption(v);
    return follow;
  }

  function sumLine(n, S) {  // L1.N1.s = w1·x1 + w2·x2 + b with numbers
    var terms = n.weights.map(function (w) { return operand(S.data[w[0]], DIG) + " × " + operand(S.data[w[1]], DIG); });
    if (n.bias >= 0) { terms.push(operand(S.data[n.bias], DIG)); }
    return name(n.s) + " = Σ wᵢxᵢ + b = " + terms.join(" + ") + " = " + num(S.data[n.s], DIG);
  }
  function deltaLine(n, S, last) {
    var slope = n.a >= 0 ? S.local[n.a][0] : 1.0, above = S.grad[n.a >= 0 ? n.a : n.s];
    var shown = product(slope, above, S.grad[n.s], DIG, false);
    return "δ(" + n.key + ") = σ′(s) · " + (last ? "∂" + name(ROOT) + "/∂a" : "Σₖ wₖδₖ") + " = " +
      shown[0] + " × " + shown[1] + " = " + shown[2];
  }
  function caption(v) {
    var S = v.S, u = v.unit, title, rule = "", lines = [], root = name(ROOT), many = false;
    var n = v.phase === "forward" ? FU.length : BU.length;
    if (v.phase === "forward" && !u) {
      title = T("Forward pass, layer by layer: {count} neurons", {count: NET.neurons.length});
      rule = T("The inputs are set. Each neuron computes s = Σ wᵢxᵢ + b, then its activation a.");
      lines = [D.nodes.map(function (x, i) { return x.leaf && D.params.indexOf(i) < 0 ? name(i) + " = " + num(S.data[i], DIG) : null; })
        .filter(function (x) { return x !== null; }).join(", ")];
    } else if (v.phase === "forward" && u.neuron !== undefined) {
      var nr = neuron(u.neuron);
      title = T("Forward step {k} of {n}: neuron {neuron}", {k: v.k, n: n, neuron: nr.key});
      lines = [sumLine(nr, S)];
      if (nr.a >= 0) { lines.push(name(nr.a) + " = " + nr.act + "(" + num(S.data[nr.s], DIG) + ") = " + num(S.data[nr.a], DIG)); }
    } else if (u && u.gate !== undefined) {
      var node = D.nodes[u.gate], gate = D.gates[node.key];
      title = v.phase === "forward" ?
        T("Forward step {k} of {n}: {gate} gate → {node}", {k: v.k, n: n, gate: gate.name, node: name(u.gate)}) :
        T("Backward step {k} of {n}: {gate} gate at {node}", {k: v.k, n: n, gate: gate.name, node: name(u.gate)});
      if (v.phase === "forward") { lines = [t.forwardLine(u.gate)]; }
      else { rule = T(gate.rule); lines = t.chainLines(S.firedAt[u.gate] + 1); }
    } else if (!u) {
      title = T("Backward pass, layer by layer");
      rule = T("Backward starts at the output with d{root}/d{root} = 1. Each gate then sends upstream × local derivative to each of its inputs.", {root: root});
      lines = ["d" + root + "/d" + root + " = 1"];
    } else if (u.kind === "delta") {
      var last = u.layer === NET.layers;
      title = T("Backward step {k} of {n}: error terms δ of layer {layer}", {k: v.k, n: n, layer: "L" + u.layer});
      rule = last ? T("The output layer: δ = σ′(s) · ∂{root}/∂a, the activation's slope times what the loss sends.", {root: root}) :
        T("δⱼ = σ′(sⱼ) · Σₖ wⱼₖδₖ: a hidden neuron's error term is its activation's slope times the next layer's error terms, weighted.");
      unitNeurons(u).forEach(function (j) { lines.push(deltaLine(neuron(j), S, last)); });
    } else {
      title = T("Backward step {k} of {n}: weights of layer {layer}", {k: v.k, n: n, layer: "L" + u.layer});
      rule = T("∂{root}/∂wᵢⱼ = δⱼ · xᵢ: each weight's gradient is its neuron's δ times the input it multiplies; the bias gets δ.", {root: root});
      unitNeurons(u).forEach(function (j) {
        var nr = neuron(j), delta = S.grad[nr.s];
        nr.weights.forEach(function (w) {
          var shown = product(delta, S.data[w[1]], S.grad[w[0]], DIG, false);
          lines.push("∂" + root + "/∂" + name(w[0]) + " = δ · " + name(w[1]) + " = " + shown[0] + " × " + shown[1] + " = " + shown[2]);
        });
        if (nr.bias >= 0) { lines.push("∂" + root + "/∂" + name(nr.bias) + " = δ = " + num(S.grad[nr.bias], DIG)); }
      });
      many = true;
    }
    $("title").textContent = title;
    $("rule").textContent = rule;
    $("lines").textContent = lines.join("\n");
    $("lines").classList.toggle("many", many || lines.length > 4);
    document.body.classList.toggle("backward", v.phase === "backward");
    paintOpened();
  }

  // -- a neuron opened: its gates, one at a time, forward then backward ----------------------------
  function entries(n) {
    var S = GG.state(), out = [];
    n.gates.forEach(function (g) { out.push([T("forward"), t.forwardLine(g)]); });
    n.gates.slice().sort(function (a, b) { return S.firedAt[a] - S.firedAt[b]; }).forEach(function (g) {
      out.push([T("backward") + " · " + T(D.gates[D.nodes[g].key].rule), t.chainLines(S.firedAt[g] + 1).join("\n")]);
    });
    return out;
  }
  function paintOpened() {
    var box = $("neuron-gates");
    box.textContent = "";
    if (opened === null) { return; }
    var n = neuron(opened), list = entries(n);
    openedAt = Math.max(0, Math.min(list.length - 1, openedAt));
    box.appendChild(el("h2", T("Gates of {neuron}", {neuron: n.key})));
    var prev = el("button", "◀"), next = el("button", "▶");
    prev.type = next.type = "button";
    prev.setAttribute("aria-label", T("previous gate"));
    next.setAttribute("aria-label", T("next gate"));
    prev.addEventListener("click", function () { openedAt--; paintOpened(); });
    next.addEventListener("click", function () { openedAt++; paintOpened(); });
    box.appendChild(prev);
    box.appendChild(el("span", " " + (openedAt + 1) + " / " + list.length + " ", "count"));
    box.appendChild(next);
    box.appendChild(el("p", list[openedAt][0], "kind"));
    box.appendChild(el("pre", list[openedAt][1]));
  }

  GG.useMode({
    last: FU.length + BU.length + 1,
    phaseOf: phaseOf,
    paint: paint,
    start: function () {
      NET.neurons.forEach(function (n, j) {
        var box = $(n.box);
        if (box) {
          box.addEventListener("click", function () {
            opened = j;
            openedAt = 0;
            document.body.classList.remove("no-panel");  // the gates open in the side panel
            paintOpened();
            $("neuron-gates").scrollIntoView({block: "start"});
          });
        }
      });
    }
  });
})();
