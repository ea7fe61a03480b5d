// The layer view: every matrix of the notes' network as a small heatmap (numbers in full when it
// is small), the forward and backward passes stepped in the notes' equations with the current
// numbers, and the bridge from a cell of ∂L/∂W to the sum over samples of δ·a. Every number is
// read from one run of the replay's plan (train.js run()) on the batch the next step will use.
"use strict";
var SUB = "₀₁₂₃₄₅₆₇₈₉";
function sub(k) { return String(k).split("").map(function (d) { return SUB[+d]; }).join(""); }

function makeLayerView(D, trainer, ui) {
  var L = D.layers.length, NIN = D.nin, K = trainer.K, T = ui.T, DIG = 2;
  var view = null, painted = null, pos = 0, sel = {n: 0, i: 0, j: 0, l: L}, widgets = [];
  var LAST = 3 * L + 1;

  function wAt(l, i, j) {  // index of W_l[i, j] (inputs × neurons, as the notes) in the coefs
    var w = D.layers[l - 1].w, nin = D.layers[l - 1].nin, nout = D.layers[l - 1].nout;
    return w.start !== undefined ? w.start + j * nin + i : w.index[i * nout + j];
  }
  function bAt(l, j) { var b = D.layers[l - 1].b; return b.start !== undefined ? b.start + j : b.index[j]; }
  function cols(l) { return D.layers[l - 1].nout; }
  function ins(l) { return D.layers[l - 1].nin; }
  // The matrices, batch-first: entry (r, q) is arr[col[q] + r·step], read from the current run
  // (view: V the values, G the gradients, pg the parameters' gradients, c the weights it saw).
  function matrix(kind, l) {
    var B = view.B, Ly = D.layers[l - 1], m = {kind: kind, l: l, step: 1}, j;
    function columns(n, at) { var out = []; for (j = 0; j < n; j++) { out.push(at(j)); } return out; }
    if (kind === "X") { m.name = "X"; m.rows = B; m.cols = NIN; m.arr = view.V; m.col = columns(NIN, function (i) { return i * B; }); }
    else if (kind === "Z" || kind === "A" || kind === "d") {
      m.name = {Z: "Z", A: "A", d: "δ"}[kind] + sub(l); m.rows = B; m.cols = cols(l);
      m.arr = kind === "d" ? view.G : view.V;
      m.col = columns(m.cols, function (q) { return (kind === "A" ? Ly.a[q] : Ly.z[q]) * B; });
    } else if (kind === "W" || kind === "dW") {
      m.name = kind === "W" ? "W" + sub(l) : "∂L/∂W" + sub(l); m.rows = ins(l); m.cols = cols(l);
      m.arr = kind === "W" ? view.c : view.pg;
      m.col = columns(m.cols, function (q) { return wAt(l, 0, q); });
      if (Ly.w.start === undefined) { m.get = function (i, q) { return m.arr[wAt(l, i, q)]; }; }
    } else {
      m.name = kind === "b" ? "b" + sub(l) : "∂L/∂b" + sub(l); m.rows = 1; m.cols = cols(l);
      m.arr = kind === "b" ? view.c : view.pg; m.step = 0;
      m.col = columns(m.cols, function (q) { return bAt(l, q); });
    }
    if (!m.get) { m.fast = true; m.get = function (r, q) { return m.arr[m.col[q] + r * m.step]; }; }
    m.shape = kind === "b" || kind === "db" ? "(" + m.cols + ",)" : "(" + m.rows + ", " + m.cols + ")";
    return m;
  }
  // every entry, row by row, and the largest size (tight loops: the big heatmaps repaint often)
  function flat(m) {
    var vals = new Float64Array(m.rows * m.cols), arr = m.arr, step = m.step, top = 0, r, q, v;
    for (q = 0; q < m.cols; q++) {
      var base = m.col[q];
      for (r = 0; r < m.rows; r++) {
        v = m.fast ? arr[base + r * step] : m.get(r, q);
        vals[r * m.cols + q] = v;
        if (v > top) { top = v; } else if (-v > top) { top = -v; }
      }
    }
    return {vals: vals, top: top};
  }
  function input(l) { return l === 1 ? matrix("X", 0) : matrix("A", l - 1); }
  function inName(l) { return l === 1 ? "X" : "A" + sub(l - 1); }

  // -- heatmaps -------------------------------------------------------------------------------
  function colour(t) {  // t in [-1, 1]: blue, white, red (ColorBrewer RdBu)
    var lo = [33, 102, 172], mid = [247, 247, 247], hi = [178, 24, 43], a = t < 0 ? lo : hi, s = Math.min(1, Math.abs(t));
    return [mid[0] + (a[0] - mid[0]) * s, mid[1] + (a[1] - mid[1]) * s, mid[2] + (a[2] - mid[2]) * s];
  }
  var PALETTE = new Uint8Array(3 * 256);  // colour() at 256 steps, for the big heatmaps
  for (var k = 0; k < 256; k++) { PALETTE.set(colour(k / 127.5 - 1).map(Math.round), 3 * k); }
  function small(m) { return m.rows <= 8 && m.cols <= 8 && m.cols * 46 <= 260; }
  function widget(kind, l, parent) {
    var box = ui.el("div", undefined, "mat" + (kind === "b" || kind === "db" ? " vector" : ""));
    var head = ui.el("div", undefined, "head");  // name, shape, and the colour legend ±max
    var nameEl = ui.el("span", "", "name"), shapeEl = ui.el("span", "", "shape");
    var w = {kind: kind, l: l, box: box, nameEl: nameEl, shapeEl: shapeEl, canvas: null, table: null, cursor: [0, 0]};
    w.hi = ui.el("span", "", "scale");
    head.appendChild(nameEl); head.appendChild(shapeEl); head.appendChild(ui.el("span", undefined, "bar")); head.appendChild(w.hi);
    box.appendChild(head);
    w.read = ui.$("readout");
    w.holder = ui.el("div");
    box.appendChild(w.holder);
    parent.appendChild(box);
    widgets.push(w);
    return w;
  }
  function showCell(w, m, r, q) {
    w.read.textContent = m.name + "[" + (r + 1) + ", " + (q + 1) + "] = " + numbers.num(m.get(r, q), 4);
  }
  function pick(w, r, q) {
    var m = w.m;
    w.cursor = [r, q];
    showCell(w, m, r, q);
    if (w.kind !== "X") { sel.l = w.l; }
    if (w.kind === "W" || w.kind === "dW") { sel.i = r; sel.j = q; }
    else if (w.kind === "b" || w.kind === "db") { sel.j = q; }
    else { sel.n = r; sel.j = q; ui.setSample(r); }
    if (w.kind === "dW") { bridge(w.l, r, q); }
    caption();
  }
  function paintWidget(w) {
    var m = w.m = w.kind === "X" ? matrix("X", 0) : matrix(w.kind, w.l), f = flat(m), top = f.top;
    w.nameEl.textContent = m.name; w.shapeEl.textContent = m.shape;
    w.hi.textContent = "±" + numbers.num(top, DIG);
    w.hi.title = numbers.num(-top, DIG) + " … " + numbers.num(top, DIG);
    if (small(m)) {
      if (!w.table) { makeTable(w); }
      for (var r = 0; r < m.rows; r++) {
        for (var q = 0; q < m.cols; q++) {
          var td = w.table.rows[r].cells[q], v = m.get(r, q), rgb = colour(top ? v / top : 0);
          var text = numbers.num(v, DIG);
          if (td.textContent !== text) { td.textContent = text; }
          td.style.background = "rgb(" + rgb.map(Math.round).join(",") + ")";
        }
      }
      return;
    }
    if (!w.canvas) { makeCanvas(w); }
    var cv = w.canvas;
    cv.setAttribute("aria-label", T("{name} {shape}, values from {low} to {high}; arrow keys read one number", {name: m.name, shape: m.shape, low: numbers.num(-top, DIG), high: numbers.num(top, DIG)}));
    if (cv.width !== m.cols || cv.height !== m.rows) { cv.width = m.cols; cv.height = m.rows; }
    var ctx = cv.getContext("2d"), img = ctx.createImageData(m.cols, m.rows), px = img.data, k = 0;
    var unit = top ? 127.5 / top : 0;
    for (var rr = 0; rr < m.rows; rr++) {
      for (var qq = 0; qq < m.cols; qq++) {
        var p = 3 * Math.round(127.5 + f.vals[rr * m.cols + qq] * unit);
        px[k] = PALETTE[p]; px[k + 1] = PALETTE[p + 1]; px[k + 2] = PALETTE[p + 2]; px[k + 3] = 255; k += 4;
      }
    }
    ctx.putImageData(img, 0, 0);
    if (document.activeElement === cv) { showCell(w, m, Math.min(w.cursor[0], m.rows - 1), Math.min(w.cursor[1], m.cols - 1)); }
  }
  function makeTable(w) {
    var m = w.m, t = document.createElement("table");
    for (var r = 0; r < m.rows; r++) {
      var tr = t.insertRow();
      for (var q = 0; q < m.cols; q++) {
        var td = tr.insertCell();
        td.tabIndex = 0;
        (function (r, q) {
          td.addEventListener("click", function () { pick(w, r, q); });
          td.addEventListener("focus", function () { showCell(w, w.m, r, q); });
          td.addEventListener("mouseenter", function () { showCell(w, w.m, r, q); });
          td.addEventListener("keydown", function (e) { if (e.key === "Enter") { pick(w, r, q); } });
        })(r, q);
      }
    }
    w.holder.appendChild(t);
    w.table = t;
  }
  function makeCanvas(w) {
    var cv = document.createElement("canvas");
    cv.tabIndex = 0;
    cv.setAttribute("role", "img");
    w.holder.appendChild(cv);
    w.canvas = cv;
    function at(e) {
      var rect = cv.getBoundingClientRect(), m = w.m;
      var q = Math.min(m.cols - 1, Math.floor((e.clientX - rect.left) / rect.width * m.cols));
      var r = Math.min(m.rows - 1, Math.floor((e.clientY - rect.top) / rect.height * m.rows));
      return [Math.max(0, r), Math.max(0, q)];
    }
    cv.addEventListener("mousemove", function (e) { var p = at(e); showCell(w, w.m, p[0], p[1]); });
    cv.addEventListener("click", function (e) { var p = at(e); pick(w, p[0], p[1]); });
    cv.addEventListener("focus", function () { showCell(w, w.m, w.cursor[0], w.cursor[1]); });
    cv.addEventListener("keydown", function (e) {
      var d = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]}[e.key];
      if (d) {
        e.preventDefault(); e.stopPropagation();
        w.cursor = [Math.max(0, Math.min(w.m.rows - 1, w.cursor[0] + d[0])), Math.max(0, Math.min(w.m.cols - 1, w.cursor[1] + d[1]))];
        showCell(w, w.m, w.cursor[0], w.cursor[1]);
      } else if (e.key === "Enter") { pick(w, w.cursor[0], w.cursor[1]); }
    });
  }

  // -- the network: one column per layer, then the loss box -------------------------------------
  function build() {
    var net = ui.$("network");
    net.textContent = "";
    var first = ui.el("section", undefined, "layer");
    first.appendChild(ui.el("h3", T("input")));
    widget("X", 0, first);
    net.appendChild(first);
    D.layers.forEach(function (Ly, k) {
      var l = k + 1, col = ui.el("section", undefined, "layer");
      col.appendChild(ui.el("h3", T("layer {l}", {l: l})));
      col.appendChild(ui.el("p", Ly.activation + ", " + Ly.nin + " → " + Ly.nout, "act"));
      ["W", "b", "Z", "A", "d", "dW", "db"].forEach(function (kind) {
        if (kind === "A" && Ly.act === null) { return; }  // a linear layer: A is Z
        widget(kind, l, col);
      });
      net.appendChild(col);
    });
    var lossBox = ui.el("section", undefined, "layer loss-box");
    lossBox.id = "loss-box";
    lossBox.appendChild(ui.el("h3", T(D.loss.title)));
    D.loss.lines.forEach(function (line) { lossBox.appendChild(ui.el("p", line)); });
    ui.lossValue = ui.el("p", "");
    lossBox.appendChild(ui.lossValue);
    net.appendChild(lossBox);
  }
  // which matrices the position computes (hot) and which are not computed yet (later)
  function roles(p) {
    var hot = {}, later = {};
    function key(kind, l) { return kind + l; }
    for (var l = 1; l <= L; l++) {
      if (p < l) { later[key("Z", l)] = later[key("A", l)] = 1; }
      if (p < gradsPos(l)) { later[key("dW", l)] = later[key("db", l)] = 1; }
      if (p < deltaPos(l)) { later[key("d", l)] = 1; }
    }
    var ph = phase(p);
    if (ph.kind === "input") { hot.X0 = 1; }
    if (ph.kind === "forward") { hot[key("W", ph.l)] = hot[key("b", ph.l)] = hot[key("Z", ph.l)] = hot[key("A", ph.l)] = 1; hot[ph.l === 1 ? "X0" : key("A", ph.l - 1)] = 1; }
    if (ph.kind === "error") { hot[key("d", L)] = 1; }
    if (ph.kind === "grads") { hot[key("dW", ph.l)] = hot[key("db", ph.l)] = hot[key("d", ph.l)] = 1; hot[ph.l === 1 ? "X0" : key("A", ph.l - 1)] = 1; }
    if (ph.kind === "delta") { hot[key("d", ph.l - 1)] = hot[key("d", ph.l)] = hot[key("W", ph.l)] = hot[key("Z", ph.l - 1)] = 1; }
    return {hot: hot, later: later};
  }
  // Positions: 0 the batch; 1..L forward; L+1 the loss; L+2 the output error; then for each
  // layer from the last, its weights' gradients and (below the first) the error term below it.
  function phase(p) {
    if (p === 0) { return {kind: "input"}; }
    if (p <= L) { return {kind: "forward", l: p}; }
    if (p === L + 1) { return {kind: "loss"}; }
    if (p === L + 2) { return {kind: "error", l: L}; }
    var k = p - (L + 3), l = L - Math.floor(k / 2);
    return k % 2 === 0 ? {kind: "grads", l: l} : {kind: "delta", l: l};
  }
  function gradsPos(l) { return L + 3 + 2 * (L - l); }
  function deltaPos(l) { return l === L ? L + 2 : gradsPos(l + 1) + 1; }

  // The batch shown: the next one, with the weights now (what the next step will use); while
  // training plays, the batch of the step just made, with the weights it saw (no extra pass).
  function paint(playing) {
    var S = trainer.state;
    if (playing && S.last) { view = S.last; }
    else if (view === null || view.version !== S.version || view === S.last) {
      try { view = trainer.run(trainer.nextRows(), true); } catch (e) {
        if (!S.error) { S.error = trainer.explain(e); }
        if (view === null) { return; }  // the last good numbers stay on screen
      }
    }
    sel.n = Math.min(sel.n, view.B - 1);
    var r = roles(pos), fresh = view !== painted;
    painted = view;
    widgets.forEach(function (w) {
      if (fresh) { paintWidget(w); }
      var id = w.kind + (w.kind === "X" ? 0 : w.l);
      w.box.classList.toggle("hot", !!r.hot[id]);
      w.box.classList.toggle("later", !!r.later[id]);
    });
    ui.$("loss-box").classList.toggle("hot", pos === L + 1 || pos === L + 2);
    ui.lossValue.textContent = "L = " + numbers.num(view.loss, 4);
    caption();
  }

  // -- captions: the notes' equation, its shapes, one entry worked with numbers -------------------
  function terms(list, total) {  // "a·b + a·b + … (n terms)"
    var shown = list.slice(0, 3).map(function (t, k) {  // "+ (-0.28)·0.01", never "+ -0.28·0.01"
      return (k ? numbers.operand : numbers.num)(t[0], 4) + "·" + numbers.operand(t[1], 4);
    });
    var text = shown.join(" + ");
    if (list.length > 3) { text += " + … (" + T("{count} terms", {count: list.length}) + ")"; }
    return text + " = " + numbers.num(total, 4);
  }
  function caption() {
    var ph = phase(pos), n = sel.n, title, eq, lines = [], N = view.B;
    document.body.classList.toggle("backward", pos > L + 1);
    if (ph.kind === "input") {
      title = T("The batch: {count} samples, one per row", {count: N});
      eq = "X " + "(" + N + ", " + NIN + "),  Y (" + N + ", " + K + ")";
      var x = [];
      for (var i = 0; i < Math.min(NIN, 6); i++) { x.push(numbers.num(view.V[i * N + n], DIG)); }
      lines.push(T("sample {n}", {n: n + 1}) + ": x = [" + x.join(", ") + (NIN > 6 ? ", …" : "") + "]");
    } else if (ph.kind === "forward") {
      var l = ph.l, Ly = D.layers[l - 1], j = Math.min(sel.j, Ly.nout - 1), A = input(l), W = matrix("W", l);
      title = T("Forward, layer {l}: Z = A @ W + b, then A = f(Z)", {l: l});
      eq = "Z" + sub(l) + " = " + inName(l) + " @ W" + sub(l) + " + b" + sub(l) + "   (" + N + ", " + Ly.nout + ") = (" + N + ", " + Ly.nin + ") @ (" + Ly.nin + ", " + Ly.nout + ") + (" + Ly.nout + ",)";
      var list = [], z = matrix("Z", l).get(n, j);
      for (var q = 0; q < Ly.nin; q++) { list.push([A.get(n, q), W.get(q, j)]); }
      lines.push("Z" + sub(l) + "[" + (n + 1) + ", " + (j + 1) + "] = Σᵢ " + inName(l) + "[" + (n + 1) + ", i]·W" + sub(l) + "[i, " + (j + 1) + "] + b = " + terms(list, z - matrix("b", l).get(0, j)) + " + " + numbers.operand(matrix("b", l).get(0, j), DIG) + " = " + numbers.num(z, 4));
      if (Ly.act !== null) {
        lines.push("A" + sub(l) + " = " + Ly.activation + "(Z" + sub(l) + "):  " + Ly.activation + "(" + numbers.num(z, 4) + ") = " + numbers.num(matrix("A", l).get(n, j), 4));
      }
    } else if (ph.kind === "loss") {
      title = T("The loss: the mean over the batch's samples");
      eq = D.loss.lines.join("   ");
      lines.push("L = " + numbers.num(view.loss, 6) + "   (" + T("sample {n}", {n: n + 1}) + ": " + numbers.num(view.V[D.loss.row * N + n], 4) + ")");
    } else if (ph.kind === "error") {
      title = T("Backward: the output error term δ = ∂L/∂Z of the last layer");
      eq = D.loss.error ? "δ" + sub(L) + " = " + D.loss.error : "δ" + sub(L) + " = ∂L/∂Z" + sub(L);
      var jj = Math.min(sel.j, D.layers[L - 1].nout - 1), dv = matrix("d", L).get(n, jj);
      var check = ui.errorTerm ? ui.errorTerm(view, n, jj) : null;
      lines.push("δ" + sub(L) + "[" + (n + 1) + ", " + (jj + 1) + "] = " + (check ? check.text + " = " + numbers.num(check.value, 6) + "   (" + T("the plan's gradient") + ": " + numbers.num(dv, 6) + ")" : numbers.num(dv, 6)));
    } else if (ph.kind === "grads") {
      var lg = ph.l, Lg = D.layers[lg - 1], i2 = Math.min(sel.i, Lg.nin - 1), j2 = Math.min(sel.j, Lg.nout - 1);
      title = T("Backward, layer {l}: the gradients of W and b", {l: lg});
      eq = "∂L/∂W" + sub(lg) + " = " + inName(lg) + "ᵀ @ δ" + sub(lg) + "   (" + Lg.nin + ", " + Lg.nout + ") = (" + Lg.nin + ", " + N + ") @ (" + N + ", " + Lg.nout + ");   ∂L/∂b" + sub(lg) + " = Σₙ δ" + sub(lg) + "[n, :]";
      var t2 = sumTerms(lg, i2, j2);
      lines.push("∂L/∂W" + sub(lg) + "[" + (i2 + 1) + ", " + (j2 + 1) + "] = Σₙ " + inName(lg) + "[n, " + (i2 + 1) + "]·δ" + sub(lg) + "[n, " + (j2 + 1) + "] = " + terms(t2, matrix("dW", lg).get(i2, j2)));
      lines.push(T("Click a cell of ∂L/∂W to see it as a sum over the samples."));
    } else {
      var ld = ph.l, below = ld - 1, Lb = D.layers[below - 1], jd = Math.min(sel.j, Lb.nout - 1);
      title = T("Backward, layer {l}: the error term δ of layer {below}", {l: ld, below: below});
      eq = "δ" + sub(below) + " = (δ" + sub(ld) + " @ W" + sub(ld) + "ᵀ) ⊙ " + Lb.activation + "′(Z" + sub(below) + ")   (" + N + ", " + Lb.nout + ") = (" + N + ", " + D.layers[ld - 1].nout + ") @ (" + D.layers[ld - 1].nout + ", " + Lb.nout + ") ⊙ (" + N + ", " + Lb.nout + ")";
      lines = lines.concat(neuronLines(ld, n, jd));
    }
    gatesButton();
    ui.$("title").textContent = title;
    ui.$("equation").textContent = eq;
    ui.$("numbers").textContent = lines.join("\n");
  }
  function sumTerms(l, i, j) {
    var A = input(l), d = matrix("d", l), out = [];
    for (var n = 0; n < view.B; n++) { out.push([A.get(n, i), d.get(n, j)]); }
    return out;
  }
  // The first note's per-neuron form for one sample: δⱼ = f′(sⱼ) Σₖ wⱼₖ δₖ
  function neuronLines(l, n, j) {
    var below = l - 1, Lb = D.layers[below - 1], Wm = matrix("W", l), dl = matrix("d", l);
    var list = [], s = 0;
    for (var k = 0; k < D.layers[l - 1].nout; k++) { list.push([Wm.get(j, k), dl.get(n, k)]); s += Wm.get(j, k) * dl.get(n, k); }
    var z = matrix("Z", below).get(n, j), a = matrix("A", below).get(n, j);
    var slope = kernels[Lb.act].local[0](z, a);
    return [T("sample {n}, neuron {neuron}:", {n: n + 1, neuron: Lb.labels[j]}) + " δⱼ = " + Lb.activation + "′(sⱼ) · Σₖ wⱼₖ δₖ",
            "  = " + Lb.activation + "′(" + numbers.num(z, 4) + ") · (" + terms(list, s) + ")",
            "  = " + numbers.num(slope, 4) + " · " + numbers.operand(s, 4) + " = " + numbers.num(matrix("d", below).get(n, j), 6)];
  }
  function bridge(l, i, j) {
    var out = ui.$("bridge"), list = sumTerms(l, i, j), total = matrix("dW", l).get(i, j);
    out.textContent = "";
    var Ly = D.layers[l - 1];
    out.appendChild(ui.el("p", "∂L/∂W" + sub(l) + "[" + (i + 1) + ", " + (j + 1) + "] = ∂L/∂" + Ly.labels[j] + ".w" + (i + 1)));
    out.appendChild(ui.el("p", "= Σₙ δ" + sub(l) + "[n, " + (j + 1) + "] · " + inName(l) + "[n, " + (i + 1) + "]"));
    var ol = ui.el("ol"), running = 0;
    list.forEach(function (t, n) {
      running += t[1] * t[0];
      ol.appendChild(ui.el("li", numbers.num(t[1], 6) + " · " + numbers.operand(t[0], 4) + " = " + numbers.num(t[1] * t[0], 6)));
    });
    out.appendChild(ol);
    out.appendChild(ui.el("p", "Σ = " + numbers.num(running, 8), "sum"));
    out.appendChild(ui.el("p", T("the gradient the next step uses: {value}", {value: numbers.num(total, 8)}), "sum"));
    out.scrollIntoView({block: "nearest"});
    return {terms: list.map(function (t) { return t[1] * t[0]; }), total: total};
  }
  // -- the bridge to the gate view: one neuron of the chosen layer, for the chosen sample --------
  function gatesButton() {
    var Ly = D.layers[sel.l - 1], j = Math.min(sel.j, Ly.nout - 1), b = ui.$("gates-open");
    b.textContent = T("Gates of {neuron}, sample {n}", {neuron: Ly.labels[j], n: sel.n + 1});
    b.disabled = !D.gate_pages[String(sel.l)];
    b.title = b.disabled ? T("{neuron} has {count} inputs: its {gates} gates read better as the layer view's sums", {neuron: Ly.labels[j], count: Ly.nin, gates: 2 * Ly.nin + 1}) : "";
  }
  function openGates() {
    var l = sel.l, Ly = D.layers[l - 1], j = Math.min(sel.j, Ly.nout - 1), n = sel.n;
    if (!D.gate_pages[String(l)]) { return; }
    var A = input(l), W = matrix("W", l), b = matrix("b", l), shown = {b: b.get(0, j)};
    for (var k = 0; k < Ly.nin; k++) { shown["x" + (k + 1)] = A.get(n, k); shown["w" + (k + 1)] = W.get(k, j); }
    openFrame(D.gate_pages[String(l)], M("Gates of {neuron}, sample {n}", {neuron: Ly.labels[j], n: n + 1}),
      M("x1…x{count} are {input}[{n}, :], w1…w{count} are {weights}[:, {j}], b is {bias}[{j}]. The gradients here are the neuron's own, ∂a/∂w, ∂a/∂x and ∂a/∂b; times ∂L/∂a they give the layer view's δ and ∂L/∂W.",
        {count: Ly.nin, input: inName(l), n: n + 1, weights: "W" + sub(l), j: j + 1, bias: "b" + sub(l)}),
      shown, Ly.nin);
  }
  // A tiny network: all of it and its loss for one sample of the batch, gate by gate
  function openNetwork() {
    if (!D.gate_pages.net || view === null) { return; }
    var n = sel.n, B = view.B, shown = {}, k;
    for (k = 0; k < NIN; k++) { shown["x" + (k + 1)] = view.V[k * B + n]; }
    for (k = 0; k < K; k++) { shown["y" + (k + 1)] = view.V[(NIN + k) * B + n]; }
    trainer.names.forEach(function (name, m) { shown[name] = view.c[trainer.order[m]]; });
    openFrame(D.gate_pages.net, M("The whole network gate by gate, sample {n}", {n: n + 1}),
      M("The same numbers as the layers: this sample's inputs and targets, the weights now. Its gradients are this sample's loss's; the layer view's are the batch mean's."),
      shown, 0);
  }
  // The gate view's title and note are messages, said again when the language changes; the
  // gate page inside speaks the language of this page (its own switch is hidden: one switch).
  var framed = null;
  function speakFrame() {
    if (framed === null || ui.$("gates").hidden) { return; }
    ui.$("gates-title").textContent = say(framed.title);
    ui.$("gates-note").textContent = say(framed.note);
    var win = ui.$("gates-frame").contentWindow;
    if (win && win.words && win.words.language() !== lang) {
      win.words.speak(lang); win.page.render(); win.controls.announce();
    }
  }
  function openFrame(html, title, note, shown, nin) {
    var frame = ui.$("gates-frame");
    framed = {title: title, note: note};
    ui.$("gates-title").textContent = say(title);
    ui.$("gates-note").textContent = say(note);
    frame.onload = function () {  // the gate page's own API: its number fields show them too
      var win = frame.contentWindow, G = win.page, values = G.values();
      G.$("lang").hidden = true;
      if (win.words.language() !== lang) { win.words.speak(lang); }
      G.nodes.forEach(function (node, i) { if (node.leaf && node.name in shown) { values[i] = shown[node.name]; } });
      G.edit(values);
      win.fields.sync();
      G.go(1);  // a long chain of sums: the gate page keeps 14 px text and follows the gate
      win.document.addEventListener("keydown", function (e) { if (e.key === "Escape") { closeGates(); } });
      frame.focus();
    };
    ui.$("gates").hidden = false;
    frame.srcdoc = html;
  }
  function closeGates() { ui.$("gates").hidden = true; ui.$("gates-open").focus(); }
  ui.$("gates-open").addEventListener("click", openGates);
  ui.$("whole-open").hidden = !D.gate_pages.net;
  ui.$("whole-open").addEventListener("click", openNetwork);
  ui.$("gates-close").addEventListener("click", closeGates);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && !ui.$("gates").hidden) { closeGates(); } });

  function moveTo(p) {
    pos = Math.max(0, Math.min(LAST, p));
    var ph = phase(pos);  // the gates button follows the layer the equation is about
    if (ph.l) { sel.l = ph.kind === "delta" ? ph.l - 1 : ph.l; }
    ui.$("slider").value = String(pos);
    paint();
    ui.announce(ui.$("title").textContent);
  }
  build();
  ui.$("slider").max = String(LAST);
  return {paint: paint, moveTo: moveTo, position: function () { return pos; }, last: LAST,
          matrix: matrix, bridge: bridge, select: function (s) { for (var k in s) { sel[k] = s[k]; } ui.setSample(sel.n); caption(); },
          view: function () { return view; }, phase: phase, openGates: openGates,
          openNetwork: openNetwork, speak: speakFrame};
}
