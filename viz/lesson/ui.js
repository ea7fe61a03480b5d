// The training page: controls (play, pause, step one batch, reset, η, batch size), the live
// curves, the decision boundary (2-D data) or the first layer's weights and the current mistakes
// (images), the language switch, the keyboard, and the API for tests and scripted demos:
// gategrad.train({epochs}), gategrad.parameters(), gategrad.metrics().
"use strict";
var D = JSON.parse(document.getElementById("gg-data").textContent);
var lang = D.lang;
function T(msgid, params) {
  var s = (D.cat[lang] && D.cat[lang][msgid]) || msgid;
  if (params) { s = s.replace(/\{(\w+)\}/g, function (m, k) { return k in params ? String(params[k]) : m; }); }
  return s;
}
// A message to show: its msgid and values, rendered in the language shown each time it is painted
// (switching language re-renders an error that is showing). A value may be a message itself, a
// gate's titles ({titles: {en, zh}}).
function M(msgid, params) { return {msgid: msgid, params: params || {}}; }
function say(m) {
  if (m === null || m === undefined) { return ""; }
  if (typeof m !== "object") { return String(m); }
  if (m.titles) { return m.titles[lang] || m.titles.en; }
  var values = {};
  Object.keys(m.params).forEach(function (k) { values[k] = say(m.params[k]); });
  return T(m.msgid, values);
}
var gategrad = (function () {
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function refuse(key, q, args, sample) {  // the engine's words for a gate that refuses
    var said;
    if (key === null) {  // a weighted sum (W @ U + b) that overflowed; q is its row
      said = M("a weighted sum overflows float64 (row {row} of the plan, sample {n})", {row: q, n: sample + 1});
    } else {
      var g = D.gates[key], says = q < 0 ? D.overflow : g.says[q];
      var got = g.inputs.map(function (name, k) { return name + " = " + numbers.pyrepr(args[k]); }).join(", ");
      said = M("{refusal} (sample {n})", {n: sample + 1, refusal: M(D.refusals[g.p === null ? 0 : 1],
        {gate: {titles: g.titles}, p: g.p, says: M(says), operands: got})});
    }
    var error = new Error(say(said));
    error.said = said;
    return error;
  }
  var plan = makePlan(D.plan, refuse), trainer = makeTrainer(D, plan, refuse), S = trainer.state;
  var ui = {T: T, $: $, el: el};
  ui.announce = function (text) { $("announce").textContent = text; };
  ui.setSample = function (n) { $("sample").value = String(n + 1); };
  var ERROR = LOSS_ERROR;  // generated from the loss table's formula string (viz/page/js.py)
  ui.errorTerm = ERROR && function (view, n, j) {  // the loss table's δ, from its formula string
    var B = view.B, z = [], y = [], K = D.loss.outputs.length;
    for (var q = 0; q < K; q++) { z.push(view.V[D.layers[D.layers.length - 1].z[q] * B + n]); y.push(view.V[(D.nin + q) * B + n]); }
    var a = softmax(z), v = ERROR(z[j], y[j], a[j], B, K);
    var text = D.loss.error_show.replace(/\b([zya])\b/g, function (m, name) {
      return numbers.operand({z: z[j], y: y[j], a: a[j]}[name], 4);
    }).replace(/\bN\b/g, String(B)).replace(/\bk\b/g, String(K));
    return {value: v, text: text};
  };
  function softmax(z) {  // for the display of A = softmax(Z) in the softmax + cross-entropy box
    var m = Math.max.apply(null, z), e = z.map(function (v) { return helpers.exp(v - m); });
    var s = e.reduce(function (x, y) { return x + y; }, 0);
    return e.map(function (v) { return v / s; });
  }
  var LV = makeLayerView(D, trainer, ui), playing = false, lastPictures = 0;

  // -- metrics, curve, pictures -------------------------------------------------------------------
  function pct(x) { return x === null || x !== x ? "—" : numbers.num(100 * x, 1) + "%"; }
  function paintMetrics() {
    var m = trainer.metrics(), box = $("metrics"), rows = [
      [T("epoch"), String(m.epoch + (S.pos ? " + " + S.pos + "/" + D.n : ""))], [T("steps"), String(m.step)],
      [T("train loss"), m.loss === null ? "—" : numbers.num(m.loss, 4)], [T("train accuracy"), pct(m.train_accuracy)]];
    if (D.val) { rows.push([T("validation loss"), m.val_loss === null ? "—" : numbers.num(m.val_loss, 4)], [T("validation accuracy"), pct(m.val_accuracy)]); }
    box.textContent = "";
    rows.forEach(function (r) { box.appendChild(el("span", r[0])); box.appendChild(el("b", r[1])); });
  }
  function paintCurve() {
    var cv = $("curve"), ctx = cv.getContext("2d"), W = cv.width, H = cv.height, pts = S.curve, h = S.history;
    ctx.clearRect(0, 0, W, H);
    var vals = pts.map(function (p) { return p[1]; }).concat(h.val_loss);
    if (!vals.length) { return; }
    var top = Math.max.apply(null, vals), low = Math.min(0, Math.min.apply(null, vals)), last = Math.max(1, S.steps);
    var L0 = 54, B0 = H - 22;
    function x(s) { return L0 + (W - L0 - 8) * s / last; }
    function y(v) { return B0 - (B0 - 8) * (v - low) / ((top - low) || 1); }
    ctx.strokeStyle = "#90a4ae"; ctx.beginPath(); ctx.moveTo(L0, 4); ctx.lineTo(L0, B0); ctx.lineTo(W - 4, B0); ctx.stroke();
    ctx.fillStyle = "#37474f"; ctx.font = "14px sans-serif";
    ctx.fillText(numbers.num(top, 2), 2, 16); ctx.fillText(numbers.num(low, 2), 2, B0);
    ctx.fillText(T("step {step}", {step: last}), W - 90, H - 4);
    ctx.strokeStyle = "#1565c0"; ctx.lineWidth = 1.5; ctx.beginPath();
    var every = Math.max(1, Math.floor(pts.length / 600));
    for (var i = 0; i < pts.length; i += every) { (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(pts[i][0]), y(pts[i][1])); }
    ctx.stroke();
    ctx.strokeStyle = ctx.fillStyle = "#ef6c00"; ctx.lineWidth = 2.5; ctx.beginPath();
    h.val_loss.forEach(function (v, k) { (k ? ctx.lineTo : ctx.moveTo).call(ctx, x(h.steps[k]), y(v)); });
    ctx.stroke();
    ctx.lineWidth = 1;
  }
  function paintPictures() {  // after a failed step the last good picture stays
    try {
      if (D.picture === "boundary") { boundary(); }
      if (D.picture === "images") { images(); }
    } catch (e) { if (!S.error) { S.error = trainer.explain(e); } }
  }
  var grid = null;
  function boundary() {
    var box = $("pictures"), cv = box.querySelector("canvas");
    if (!cv) {
      box.appendChild(el("h2", T("Decision boundary")));
      cv = el("canvas"); cv.width = 380; cv.height = 230; cv.setAttribute("role", "img");
      cv.setAttribute("aria-label", T("Decision boundary")); box.appendChild(cv);
    }
    var X = trainer.X, n = D.n, lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (var r = 0; r < n; r++) { for (var q = 0; q < 2; q++) { lo[q] = Math.min(lo[q], X[2 * r + q]); hi[q] = Math.max(hi[q], X[2 * r + q]); } }
    var pad = [0.15 * (hi[0] - lo[0]), 0.15 * (hi[1] - lo[1])];
    lo = [lo[0] - pad[0], lo[1] - pad[1]]; hi = [hi[0] + pad[0], hi[1] + pad[1]];
    var GX = 76, GY = 46, B = GX * GY, feed = new Float64Array(B * (2 + trainer.K));
    for (var gy = 0; gy < GY; gy++) {
      for (var gx = 0; gx < GX; gx++) {
        var b = gy * GX + gx;
        feed[b * (2 + trainer.K)] = lo[0] + (hi[0] - lo[0]) * (gx + 0.5) / GX;
        feed[b * (2 + trainer.K) + 1] = hi[1] - (hi[1] - lo[1]) * (gy + 0.5) / GY;
      }
    }
    var V = plan.forward(S.c, feed, B), ctx = cv.getContext("2d"), cw = cv.width / GX, ch = cv.height / GY;
    var fake = {V: V, B: B};
    for (b = 0; b < B; b++) {
      var outs = trainer.outputsOf(fake, b), cls = classOf(outs);
      ctx.fillStyle = cls ? "#ffccbc" : "#bbdefb";
      ctx.fillRect((b % GX) * cw, Math.floor(b / GX) * ch, cw + 1, ch + 1);
    }
    for (r = 0; r < n; r++) {
      var px = (X[2 * r] - lo[0]) / (hi[0] - lo[0]) * cv.width, py = (hi[1] - X[2 * r + 1]) / (hi[1] - lo[1]) * cv.height;
      var t = D.targets[r], positive = D.loss.classes ? t > 0 : (Array.isArray(t) ? t[0] : t) > (D.loss.decision ? D.loss.decision[1] : 0);
      ctx.fillStyle = positive ? "#d84315" : "#1565c0";
      ctx.beginPath(); ctx.arc(px, py, 3.2, 0, 2 * Math.PI); ctx.fill();
    }
  }
  function classOf(outs) {
    if (D.loss.classes) { var best = 0; for (var j = 1; j < outs.length; j++) { if (outs[j] > outs[best]) { best = j; } } return best; }
    return outs[0] > (D.loss.decision ? D.loss.decision[0] : 0) ? 1 : 0;
  }
  function drawImage(cv, get, side, signed) {
    cv.width = side; cv.height = side;
    var ctx = cv.getContext("2d"), img = ctx.createImageData(side, side), top = 0, k;
    for (k = 0; k < side * side; k++) { top = Math.max(top, Math.abs(get(k))); }
    for (k = 0; k < side * side; k++) {
      var v = get(k), rgb;
      if (signed) { var t = top ? v / top : 0, s = Math.abs(t); rgb = t < 0 ? [247 - 214 * s, 247 - 145 * s, 247 - 75 * s] : [247 - 69 * s, 247 - 223 * s, 247 - 204 * s]; }
      else { var g = 255 - 255 * Math.min(1, Math.max(0, v)); rgb = [g, g, g]; }
      img.data[4 * k] = rgb[0]; img.data[4 * k + 1] = rgb[1]; img.data[4 * k + 2] = rgb[2]; img.data[4 * k + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  function images() {
    var box = $("pictures"), side = D.side, Ly = D.layers[0], view = LV.matrix;
    box.textContent = "";
    box.appendChild(el("h2", T("First layer: each neuron's weights as an image")));
    var g = el("div", undefined, "grid"), shown = Math.min(Ly.nout, 32);
    for (var j = 0; j < shown; j++) {
      var f = el("figure"), cv = el("canvas");
      (function (j) { drawImage(cv, function (k) { return S.c[Ly.w.start !== undefined ? Ly.w.start + j * Ly.nin + k : Ly.w.index[k * Ly.nout + j]]; }, side, true); })(j);
      cv.setAttribute("role", "img"); cv.setAttribute("aria-label", Ly.labels[j]);
      f.appendChild(cv); g.appendChild(f);
    }
    box.appendChild(g);
    if (Ly.nout > shown) { box.appendChild(el("p", T("the first {shown} of {count} neurons", {shown: shown, count: Ly.nout}), "hint")); }
    var wrong = mistakes(), which = D.val ? T("validation") : T("training");
    box.appendChild(el("h2", T("Current mistakes ({which}): {count}", {which: which, count: wrong.length})));
    var g2 = el("div", undefined, "grid");
    wrong.slice(0, 12).forEach(function (m) {
      var f = el("figure"), cv = el("canvas"), Xs = m.X;
      drawImage(cv, function (k) { return Xs[m.row * D.nin + k]; }, side, false);
      cv.setAttribute("role", "img");
      f.appendChild(cv);
      f.appendChild(el("figcaption", m.truth + " → " + m.guess));
      g2.appendChild(f);
    });
    box.appendChild(g2);
  }
  function mistakes() {
    var rows = [], n = D.val ? D.val.n : D.n, out = [];
    for (var i = 0; i < n; i++) { rows.push(i); }
    var r = trainer.run(rows, false, !!D.val), targets = D.val ? D.val.targets : D.targets;
    for (var b = 0; b < n; b++) {
      var guess = classOf(trainer.outputsOf(r, b));
      if (guess !== targets[b]) { out.push({row: b, truth: targets[b], guess: guess, X: D.val ? trainer.VX : trainer.X}); }
    }
    return out;
  }

  function repaint(all, live) {  // live: as while playing (the view of the step just made)
    LV.paint(playing || !!live);
    paintMetrics();
    paintCurve();
    var now = performance.now();
    if (all || now - lastPictures > 250) { paintPictures(); lastPictures = now; }
    var a = $("alert");
    a.hidden = !S.error;
    a.textContent = say(S.error);
    $("play").textContent = playing ? T("❚❚ Pause") : T("▶ Play");
  }
  function frame() {
    if (!playing) { return; }
    var t0 = performance.now();
    do {
      if (!trainer.step() || S.history.train_loss.length >= playGoal) { playing = false; break; }
    } while (performance.now() - t0 < 12);
    repaint(false);
    if (playing) { requestAnimationFrame(frame); }
  }
  var playGoal = 0;  // Play trains D.epochs epochs, then pauses
  function play(on) {
    playing = on && !S.error;
    if (playing) { playGoal = S.history.train_loss.length + D.epochs; }
    repaint(false);
    if (playing) { requestAnimationFrame(frame); }
  }

  // -- controls and keys --------------------------------------------------------------------------
  function translate() {
    document.querySelectorAll("[data-t]").forEach(function (e) { e.textContent = T(e.getAttribute("data-t")); });
    document.querySelectorAll("[data-tt]").forEach(function (e) { e.title = T(e.getAttribute("data-tt")); });
    document.querySelectorAll("[data-ta]").forEach(function (e) { e.setAttribute("aria-label", T(e.getAttribute("data-ta"))); });
    $("lang").textContent = lang === "zh" ? "English" : "中文";
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }
  function setting(id, parse, apply) {
    var input = $(id);
    input.addEventListener("change", function () {
      var v = parse(input.value);
      if (!(v > 0) || !isFinite(v)) {
        S.error = M("The {setting} must be a positive number, got {value}", {setting: M(input.parentNode.querySelector("span").getAttribute("data-t")), value: input.value});
        repaint(false); S.error = null; return;
      }
      apply(v); repaint(false);
    });
  }
  function start() {
    translate();
    $("lr").value = String(D.lr); $("batch").value = String(D.batch);
    $("play").addEventListener("click", function () { play(!playing); });
    $("step").addEventListener("click", function () { playing = false; trainer.step(); repaint(true); });
    $("reset").addEventListener("click", function () { playing = false; trainer.reset(); S.lr = +$("lr").value || D.lr; S.batch = Math.round(+$("batch").value) || D.batch; repaint(true); });
    setting("lr", parseFloat, function (v) { S.lr = v; });
    setting("batch", function (s) { return Math.round(parseFloat(s)); }, function (v) { S.batch = v; });
    $("prev").addEventListener("click", function () { LV.moveTo(LV.position() - 1); });
    $("next").addEventListener("click", function () { LV.moveTo(LV.position() + 1); });
    $("slider").addEventListener("input", function () { LV.moveTo(+$("slider").value); });
    $("sample").addEventListener("change", function () { LV.select({n: Math.max(0, Math.round(+$("sample").value) - 1)}); });
    $("lang").addEventListener("click", function () { lang = lang === "zh" ? "en" : "zh"; translate(); repaint(true); LV.speak(); });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "canvas" || tag === "td" || e.ctrlKey || e.metaKey || e.altKey) { return; }
      if (e.key === "ArrowRight" || e.key === "PageDown") { LV.moveTo(LV.position() + 1); e.preventDefault(); }
      else if (e.key === "ArrowLeft" || e.key === "PageUp") { LV.moveTo(LV.position() - 1); e.preventDefault(); }
      else if (e.key === " " && tag !== "button") { play(!playing); e.preventDefault(); }
      else if (e.key === "s" || e.key === "S") { playing = false; trainer.step(); repaint(true); }
    });
    var p = /#step=(\d+)/.exec(location.hash);
    LV.moveTo(p ? +p[1] : 0);
    repaint(true);
    if (D.gate_pages.net && !p) { LV.openNetwork(); }  // a tiny network starts gate by gate
  }
  start();
  return {
    train: function (opts) { playing = false; var m = trainer.train(opts); repaint(true); return m; },
    step: function () { var ok = trainer.step(); repaint(true); return ok; },
    reset: function () { playing = false; trainer.reset(); repaint(true); },
    parameters: trainer.parameters, metrics: trainer.metrics,
    play: play, moveTo: LV.moveTo, position: LV.position, last: LV.last,
    matrix: function (kind, l) { var m = LV.matrix(kind, l), out = []; for (var r = 0; r < m.rows; r++) { var row = []; for (var q = 0; q < m.cols; q++) { row.push(m.get(r, q)); } out.push(row); } return out; },
    bridge: LV.bridge, select: LV.select, openGates: LV.openGates, openNetwork: LV.openNetwork, batchRows: function () { return LV.view().rows; },
    trainer: trainer, repaint: repaint,
    loss: function () { return LV.view().loss; }, errorTerm: function (n, j) { return ui.errorTerm && ui.errorTerm(LV.view(), n, j); },
    data: D
  };
})();
