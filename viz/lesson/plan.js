// The replay's plan (engine.replay.export_plan) run over a batch, in the page. Buffers hold one
// row of B numbers per node the plan keeps, as the numpy replay's (rows, B) array. A weighted
// sum step is a matrix product W @ U (+ b), W read from the parameters; a gate step applies a
// kernel of the gate table (kernels, translated from its formula strings by viz/page/js.py) to
// every element. Backward is the same plan reversed: W^T @ G and G @ U^T for a sum, upstream ×
// the kernel's local derivative for a gate. No derivative rule is written here.
"use strict";
function unpack(o) {  // {"f64": base64 of little-endian float64, "shape": [...]}
  var s = atob(o.f64), bytes = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) { bytes[i] = s.charCodeAt(i); }
  return new Float64Array(bytes.buffer);
}

function makePlan(P, refuse) {
  var R = P.rows, M = P.parameters, IN = P.inputs, OUTS = P.outputs.length;
  var steps = P.steps.map(function (s) {
    var t = {s: s, lo: s.out[0], n: s.out[1] - s.out[0]};
    if (s.op === "sum") {
      t.cols = Int32Array.from(s.cols); t.nc = s.cols.length;
      t.W = s.w.start === undefined ? new Float64Array(t.n * t.nc) : null;
    } else {
      t.k = kernels[s.gate]; t.args = s.args.map(function (a) { return Int32Array.from(a); });
    }
    return t;
  });
  function weights(t, c) {
    var w = t.s.w;
    if (w.start !== undefined) { return c.subarray(w.start, w.start + t.n * t.nc); }
    t.W.fill(0);
    for (var q = 0; q < w.out.length; q++) { t.W[w.out[q] * t.nc + w.col[q]] += c[w.coef[q]] * w.scale[q]; }
    return t.W;
  }
  function bias(t, c, o) {
    var b = t.s.b, v = 0;
    if (b === null) { return 0; }
    if (b.start !== undefined) { return c[b.start + o]; }
    for (var q = 0; q < b.out.length; q++) { if (b.out[q] === o) { v += c[b.coef[q]] * b.scale[q]; } }
    return v;
  }

  // V[lo + o] = Σ_j W[o, j] · V[cols[j]] for each output row o: the product W @ U, one row of
  // B numbers at a time (its own small function, so the engine compiles its loops tightly)
  function matmul(W, V, cols, lo, n, nc, B) {
    var a0 = new Float64Array(B), a1 = new Float64Array(B), a2 = new Float64Array(B), a3 = new Float64Array(B);
    for (var o = 0; o < n; o += 4) {  // four output rows share each read of an input row
      var m = Math.min(4, n - o), w0o = o * nc, b, j;
      a0.fill(0); a1.fill(0); a2.fill(0); a3.fill(0);
      for (j = 0; j < nc; j++) {
        var u = cols[j] * B, w0 = W[w0o + j], w1 = m > 1 ? W[w0o + nc + j] : 0,
            w2 = m > 2 ? W[w0o + 2 * nc + j] : 0, w3 = m > 3 ? W[w0o + 3 * nc + j] : 0;
        for (b = 0; b < B; b++) {
          var v = V[u + b];
          a0[b] += w0 * v; a1[b] += w1 * v; a2[b] += w2 * v; a3[b] += w3 * v;
        }
      }
      V.set(a0, (lo + o) * B);
      if (m > 1) { V.set(a1, (lo + o + 1) * B); }
      if (m > 2) { V.set(a2, (lo + o + 2) * B); }
      if (m > 3) { V.set(a3, (lo + o + 3) * B); }
    }
  }
  // G[cols[j]] += Σ_o W[o, j] · G[lo + o]: the product W^T @ G, an input row at a time
  function matmulT(W, G, cols, lo, n, nc, B) {
    for (var j = 0; j < nc; j++) {
      var u = cols[j] * B;
      for (var o = 0; o < n; o++) {
        var w = W[o * nc + j], g = (lo + o) * B;
        for (var b = 0; b < B; b++) { G[u + b] += w * G[g + b]; }
      }
    }
  }
  // pg[start + o·nc + j] += Σ_b G[lo + o][b] · V[cols[j]][b]: the product G @ U^T, each input
  // row read once while the (few) gradient rows stay in the cache
  function dweights(G, V, cols, lo, n, nc, B, pg, start) {
    for (var j = 0; j < nc; j++) {
      var u = cols[j] * B;
      for (var o = 0; o < n; o++) { pg[start + o * nc + j] += dot(G, (lo + o) * B, V, u, B); }
    }
  }
  // Σ_b G[row][b] · V[row2][b], four partial sums (the dot products of G @ U^T)
  function dot(G, g, V, u, B) {
    var s0 = 0, s1 = 0, s2 = 0, s3 = 0, b = 0;
    for (; b + 3 < B; b += 4) {
      s0 += G[g + b] * V[u + b]; s1 += G[g + b + 1] * V[u + b + 1];
      s2 += G[g + b + 2] * V[u + b + 2]; s3 += G[g + b + 3] * V[u + b + 3];
    }
    for (; b < B; b++) { s0 += G[g + b] * V[u + b]; }
    return (s0 + s1) + (s2 + s3);
  }
  // feed: B rows of the plan's inputs (the sample's x, then its encoded target), sample-major
  function forward(c, feed, B) {
    var V = new Float64Array(R * B), i, b, o, j;
    for (b = 0; b < B; b++) { for (i = 0; i < IN; i++) { V[i * B + b] = feed[b * IN + i]; } }
    P.param_rows.forEach(function (pr) { V.fill(c[pr[1]], pr[0] * B, pr[0] * B + B); });
    for (var s = 0; s < steps.length; s++) {
      var t = steps[s];
      if (t.s.op === "sum") {
        matmul(weights(t, c), V, t.cols, t.lo, t.n, t.nc, B);
        for (o = 0; o < t.n; o++) {
          var out = (t.lo + o) * B, bo = bias(t, c, o);
          for (b = 0; b < B; b++) {
            V[out + b] += bo;
            if (!isFinite(V[out + b])) { throw refuse(null, t.lo + o, null, b); }
          }
        }
      } else {
        var k = t.k, a0 = t.args[0], a1 = t.args[1], two = t.args.length === 2;
        for (o = 0; o < t.n; o++) {
          var r0 = a0[o] * B, r1 = two ? a1[o] * B : 0, ro = (t.lo + o) * B;
          for (b = 0; b < B; b++) {
            var x = V[r0 + b], y = two ? V[r1 + b] : 0;
            for (var q = 0; q < k.checks.length; q++) {
              if (k.checks[q](x, y)) { throw refuse(t.s.gate, q, [x, y], b); }
            }
            var v = k.forward(x, y);
            if (!isFinite(v)) { throw refuse(t.s.gate, -1, [x, y], b); }
            V[ro + b] = v;
          }
        }
      }
    }
    return V;
  }

  // seed: d(what is differentiated)/d output, B rows of OUTS numbers; returns G and the
  // parameters' gradients pg (pg[M] collects terms without a parameter, as the replay's).
  function backward(c, V, B, seed) {
    var G = new Float64Array(R * B), pg = new Float64Array(M + 1), i, b, o, j;
    P.outputs.forEach(function (row, q) {
      for (b = 0; b < B; b++) { G[row * B + b] += seed[b * OUTS + q]; }
    });
    for (var s = steps.length - 1; s >= 0; s--) {
      var t = steps[s];
      if (t.s.op === "sum") {
        if (!t.s.need) { continue; }
        var W = weights(t, c), nc = t.nc, cols = t.cols, w = t.s.w;
        if (t.s.grad_u) { matmulT(W, G, cols, t.lo, t.n, nc, B); }
        if (w.start !== undefined) { dweights(G, V, cols, t.lo, t.n, nc, B, pg, w.start); }
        for (o = 0; o < t.n; o++) {
          var g = (t.lo + o) * B, sum = 0;
          for (b = 0; b < B; b++) { sum += G[g + b]; }
          var bb = t.s.b;
          if (bb !== null && bb.start !== undefined) { pg[bb.start + o] += sum; }
          else if (bb !== null) {
            for (i = 0; i < bb.out.length; i++) { if (bb.out[i] === o) { pg[bb.coef[i]] += sum * bb.scale[i]; } }
          }
        }
        if (w.start === undefined) {
          for (i = 0; i < w.out.length; i++) {
            pg[w.coef[i]] += dot(G, (t.lo + w.out[i]) * B, V, cols[w.col[i]] * B, B) * w.scale[i];
          }
        }
      } else {
        var need = t.s.need, k = t.k, a0 = t.args[0], a1 = t.args[1], two = t.args.length === 2;
        if (!need[0] && !(two && need[1])) { continue; }
        for (o = 0; o < t.n; o++) {
          var r0 = a0[o] * B, r1 = two ? a1[o] * B : 0, ro = (t.lo + o) * B;
          for (b = 0; b < B; b++) {
            var up = G[ro + b], x = V[r0 + b], y = two ? V[r1 + b] : 0, v = V[ro + b];
            if (need[0]) { G[r0 + b] += up * (two ? k.local[0](x, y, v) : k.local[0](x, v)); }
            if (two && need[1]) { G[r1 + b] += up * k.local[1](x, y, v); }
          }
        }
      }
    }
    P.param_rows.forEach(function (pr) {
      for (b = 0; b < B; b++) { pg[pr[1]] += G[pr[0] * B + b]; }
    });
    return {G: G, pg: pg};
  }
  return {forward: forward, backward: backward, rows: R, parameters: M};
}
