// Training in the page: fit()'s loop (nn/train.py) over the replay's plan. Each epoch shuffles
// the sample order with Python's own generator (mt.js) when shuffling is on, takes batches in
// that order, and makes one SGD step per batch, w ← w − η·∂L/∂w with L the batch's mean loss,
// so k epochs here give fit(..., shuffle=shuffle, seed=seed)'s parameters. Accuracy and the
// validation numbers are counted as fit counts them. No DOM here: the page and the tests drive it.
"use strict";
function makeTrainer(D, plan, refuse) {
  var X = unpack(D.X), Y = unpack(D.Y), NIN = D.nin, K = D.Y.shape[1], N = D.n;
  var OUTS = D.plan.outputs.length, START = unpack(D.coefs), ORDER = [], NAMES = [];
  // model.parameters(): layer by layer, each neuron's weights w1..wn, then its bias
  D.layers.forEach(function (Ly) {
    for (var j = 0; j < Ly.nout; j++) {
      for (var i = 0; i < Ly.nin; i++) {
        ORDER.push(Ly.w.start !== undefined ? Ly.w.start + j * Ly.nin + i : Ly.w.index[i * Ly.nout + j]);
        NAMES.push(Ly.labels[j] + ".w" + (i + 1));
      }
      ORDER.push(Ly.b.start !== undefined ? Ly.b.start + j : Ly.b.index[j]);
      NAMES.push(Ly.labels[j] + ".b");
    }
  });
  var VX = D.val ? unpack(D.val.X) : null, VY = D.val ? unpack(D.val.Y) : null;
  var S = {};  // the state: coefs, rng, order, epoch, pos, steps, history, sums of the epoch

  function reset() {
    S.c = new Float64Array(START.length + 1);  // the parameters, then the 1.0 of terms
    S.c.set(START);                              // without one (as the replay's coefs)
    S.c[START.length] = 1.0;
    S.rng = makeRandom(D.seed);
    S.order = [];
    for (var i = 0; i < N; i++) { S.order.push(i); }
    S.epoch = 1; S.pos = 0; S.steps = 0; S.lr = D.lr; S.batch = D.batch;
    S.version = (S.version || 0) + 1; S.last = null;  // version: what a view was computed from
    S.sum = 0; S.correct = 0; S.judged = 0; S.error = null;
    S.history = {train_loss: [], train_accuracy: [], val_loss: [], val_accuracy: [], steps: []};
    S.curve = [];  // [step, batch loss] for the live curve
    if (D.shuffle) { S.rng.shuffle(S.order); }
  }

  function feedOf(rows, Xs, Ys) {
    var B = rows.length, F = new Float64Array(B * (NIN + K));
    for (var b = 0; b < B; b++) {
      var r = rows[b], base = b * (NIN + K);
      for (var i = 0; i < NIN; i++) { F[base + i] = Xs[r * NIN + i]; }
      for (var j = 0; j < K; j++) { F[base + NIN + j] = Ys[r * K + j]; }
    }
    return F;
  }
  // Forward (and backward of the mean loss) on the samples ``rows``; nothing is updated.
  function run(rows, withBackward, val) {
    var B = rows.length, V = plan.forward(S.c, feedOf(rows, val ? VX : X, val ? VY : Y), B);
    var loss = 0, b, lossRow = D.plan.outputs[0] * B;
    for (b = 0; b < B; b++) { loss += V[lossRow + b]; }
    var out = {V: V, B: B, rows: rows, loss: loss / B, c: S.c, version: S.version};
    if (withBackward) {
      var seed = new Float64Array(B * OUTS);
      for (b = 0; b < B; b++) { seed[b * OUTS] = 1 / B; }
      var back = plan.backward(S.c, V, B, seed);
      out.G = back.G; out.pg = back.pg;
    }
    return out;
  }
  function outputsOf(r, b) {
    var outs = [];
    for (var q = 1; q < OUTS; q++) { outs.push(r.V[D.plan.outputs[q] * r.B + b]); }
    return outs;
  }
  // (correct, judged) for one sample, as nn.checks.accuracy_rule
  function judge(outs, target, encoded) {
    if (D.loss.classes) {
      var best = 0;
      for (var j = 1; j < outs.length; j++) { if (outs[j] > outs[best]) { best = j; } }
      return [best === target ? 1 : 0, 1];
    }
    var d = D.loss.decision;
    if (d === null) { return [0, 0]; }
    var right = 0;
    for (var q = 0; q < outs.length; q++) { right += (outs[q] > d[0]) === (encoded[q] > d[1]) ? 1 : 0; }
    return [right, outs.length];
  }
  function nextRows() { return S.order.slice(S.pos, S.pos + S.batch); }

  function diverged(what) {
    var lr = S.lr;
    return M("Training stopped at step {step} (epoch {epoch}): {what}. With learning rate {lr} the updates are too large: try {lower}. The parameters are left as before this step.",
             {step: S.steps + 1, epoch: S.epoch, what: what, lr: String(lr), lower: String(lr / 10)});
  }

  // A gate that refuses: the data or the starting weights before any update, else divergence
  function explain(e) {
    var what = e.said || e.message || String(e);  // a message, said in the language shown
    return S.steps ? diverged(M("a gate failed: {what}", {what: what})) : what;
  }
  // One batch: forward, backward, one SGD step. Returns false (and sets S.error) if it stops.
  function step() {
    if (S.error) { return false; }
    var rows = nextRows(), r;
    try { r = run(rows, true); } catch (e) { S.error = explain(e); return false; }
    if (!isFinite(r.loss)) { S.error = diverged(M("the loss is {value}", {value: String(r.loss)})); return false; }
    for (var m = 0; m < ORDER.length; m++) {
      if (!isFinite(r.pg[ORDER[m]])) {
        S.error = diverged(M("the gradient of {name} is {value}", {name: NAMES[m], value: String(r.pg[ORDER[m]])}));
        return false;
      }
    }
    r.c = S.c.slice();  // the weights this batch saw, for a view of the step just made
    for (m = 0; m < ORDER.length; m++) { var i = ORDER[m]; S.c[i] = S.c[i] - S.lr * r.pg[i]; }
    S.last = r;
    S.steps += 1; S.version += 1;
    S.sum += r.loss * rows.length;
    for (var b = 0; b < rows.length; b++) {
      var cj = judge(outputsOf(r, b), D.targets[rows[b]], Y.subarray(rows[b] * K, rows[b] * K + K));
      S.correct += cj[0]; S.judged += cj[1];
    }
    S.curve.push([S.steps, r.loss]);
    S.pos += rows.length;
    if (S.pos >= N) { endEpoch(); }
    return true;
  }
  function evaluateVal() {
    var rows = [], n = D.val.n;
    for (var i = 0; i < n; i++) { rows.push(i); }
    var r = run(rows, false, true), correct = 0, judged = 0;
    for (var b = 0; b < n; b++) {
      var cj = judge(outputsOf(r, b), D.val.targets[b], VY.subarray(b * K, b * K + K));
      correct += cj[0]; judged += cj[1];
    }
    return [r.loss, judged ? correct / judged : NaN, r];
  }
  function endEpoch() {
    var h = S.history;
    h.train_loss.push(S.sum / N);
    h.train_accuracy.push(S.judged ? S.correct / S.judged : NaN);
    h.steps.push(S.steps);
    if (D.val) {
      try {
        var v = evaluateVal();
        h.val_loss.push(v[0]); h.val_accuracy.push(v[1]);
      } catch (e) { S.error = e.said || e.message || String(e); }
    }
    S.epoch += 1; S.pos = 0; S.sum = 0; S.correct = 0; S.judged = 0;
    if (D.shuffle) { S.rng.shuffle(S.order); }
  }
  function clean(x) { return x === undefined || x !== x ? null : x; }
  function metrics() {
    var h = S.history, last = h.train_loss.length - 1;
    return {epoch: h.train_loss.length, step: S.steps, loss: clean(h.train_loss[last]),
            train_accuracy: clean(h.train_accuracy[last]), val_loss: clean(h.val_loss[last]),
            val_accuracy: clean(h.val_accuracy[last]), error: S.error && say(S.error)};
  }
  function parameters() {
    return ORDER.map(function (i) { return S.c[i]; });
  }
  // Train until ``epochs`` more epochs are done (or training stops); returns the metrics.
  function train(opts) {
    var goal = S.history.train_loss.length + ((opts && opts.epochs) || 1);
    while (S.history.train_loss.length < goal && step()) { /* one batch at a time */ }
    return metrics();
  }
  reset();
  return {reset: reset, step: step, explain: explain, names: NAMES, order: ORDER, run: run, train: train, metrics: metrics,
          parameters: parameters, nextRows: nextRows, state: S, evaluateVal: evaluateVal,
          outputsOf: outputsOf, judge: judge, X: X, Y: Y, VX: VX, VY: VY, K: K};
}
