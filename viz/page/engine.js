// The page's engine: forward, local derivatives and backward over the graph's JSON, with the
// kernels generated from the gate table (KERNELS, viz/page/js.py). No rule is written here.
"use strict";
function makeEngine(D, T) {
  var N = D.nodes.length, ROOT = D.root;
  // The engine's refusal, word for word (engine.errors.refusal_text), in either language: the
  // gate by its title, each labelled operand's node in the catalogue's words.
  function refusal(i, says, args) {
    var node = D.nodes[i], g = D.gates[node.key];
    var got = g.inputs.map(function (input, q) {
      var label = D.nodes[node.inputs[q]].repr, value = pyrepr(args[q]);
      return label ? T(D.operand, {name: input, value: value, label: label})
                   : input + " = " + value;
    }).reduce(function (a, b) { return T(D.pair, {first: a, second: b}); });
    var params = {gate: T(g.title), p: g.pshow, says: T(says), operands: got};
    return g.param === null ? T(D.refusals[0], params) : T(D.refusals[1], params);
  }

  function compute(vals) {
    var data = new Float64Array(N), local = new Array(N), i, q, node;
    for (i = 0; i < N; i++) {
      node = D.nodes[i];
      if (node.leaf) { data[i] = vals[i]; continue; }
      var k = KERNELS[node.key], args = node.inputs.map(function (j) { return data[j]; });
      for (q = 0; q < k.c.length; q++) {
        if (k.c[q].apply(null, args)) { return {error: refusal(i, D.gates[node.key].says[q], args)}; }
      }
      var out = k.f.apply(null, args), loc = [];
      if (!isFinite(out)) { return {error: refusal(i, D.overflow, args)}; }
      for (q = 0; q < k.l.length; q++) { loc.push(k.l[q].apply(null, args.concat([out]))); }
      data[i] = out;
      local[i] = loc;
    }
    // Backward in reversed evaluation order, as engine.value.propagate: each gate sends
    // upstream × local to each input, added to what the input holds.
    var sums = new Float64Array(N), steps = [], firedAt = new Int32Array(N).fill(-1);
    sums[ROOT] = 1.0;
    for (i = N - 1; i >= 0; i--) {
      node = D.nodes[i];
      if (node.leaf) { continue; }
      var up = sums[i], rec = [];
      for (q = 0; q < node.inputs.length; q++) {
        var j = node.inputs[q], c = local[i][q] * up, before = sums[j];
        sums[j] = before + c;
        rec.push({node: j, q: q, local: local[i][q], c: c, before: before, after: sums[j]});
      }
      firedAt[i] = steps.length;
      steps.push({node: i, up: up, ins: rec});
    }
    return {data: data, local: local, steps: steps, grad: sums, firedAt: firedAt};
  }
  return compute;
}
