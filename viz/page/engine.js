// engine: forward, local derivatives and backward over the page's graph, as engine.value does,
// with the kernels generated from the gate table (kernels) and the refusals Python writes
// (tables.refusal). No derivative rule and no message is written here.
//
// compute(nodes, root, values) gives {data, local, steps, grad, firedAt}, or {refusal} when a
// gate refuses its operands, a result overflows, or a gradient on the way back is not finite.
// A refusal is a message, {msgid, params}, that words.render writes in the current language.
"use strict";
var engine = (function () {
  // How Python's refusal names one operand: "a = -1.0", and with a label a message, "a = -1.0
  // (node 'x')" / "a = -1.0（节点 'x'）" (engine.errors).
  function operand(node, input, x) {
    var value = numbers.pyrepr(x);
    if (!node.repr) { return words.fill(tables.refusal.operand, {input: input, value: value}); }
    return {msgid: tables.refusal.labelled, params: {name: input, value: value, label: node.repr}};
  }

  // The engine's refusal of gate i on these operands (engine.errors.refusal_text): the gate by
  // its title in the language shown, the operands two by two as Python joins them.
  function refusal(nodes, i, says, args) {
    var node = nodes[i], gate = tables.gates[node.key];
    var got = gate.inputs.map(function (input, q) {
      return operand(nodes[node.inputs[q]], input, args[q]);
    }).reduce(function (a, b) { return {msgid: tables.refusal.pair, params: {first: a, second: b}}; });
    return {msgid: gate.p ? tables.refusal.bound : tables.refusal.plain,
            params: {gate: {gate: node.key}, p: gate.p, says: {msgid: says}, operands: got}};
  }

  // The chain of gates from the root down to node i (engine.errors._path: breadth first along
  // each gate's inputs), each named as Python names it: its label, its gate, or its value.
  function chain(nodes, root, target, data) {
    var from = {}, frontier = [root];
    from[root] = -1;
    while (frontier.length && !(target in from)) {
      var next = [];
      frontier.forEach(function (n) {
        (nodes[n].inputs || []).forEach(function (p) {
          if (!(p in from)) { from[p] = n; next.push(p); }
        });
      });
      frontier = next;
    }
    var path = [];
    for (var n = target; n !== -1; n = from[n]) {
      var node = nodes[n];
      path.unshift(node.repr ? node.name : node.leaf ? numbers.pyrepr(data[n]) : tables.gates[node.key].name);
    }
    return path.join(" → ");
  }

  // A gradient that is not finite, named as engine.errors.backward_anomaly names it.
  function backwardRefusal(nodes, root, i, q, upstream, local, sum, data) {
    var node = nodes[i], gate = tables.gates[node.key], sent = local * upstream;
    var params = {gate: {gate: node.key}, sent: numbers.pyrepr(sent),
                  operand: operand(nodes[node.inputs[q]], gate.inputs[q], data[node.inputs[q]]),
                  upstream: numbers.pyrepr(upstream), local: numbers.pyrepr(local),
                  sum: numbers.pyrepr(sum), chain: chain(nodes, root, i, data)};
    return {msgid: isFinite(sent) ? tables.backward.overflow : tables.backward.notFinite,
            params: params};
  }

  function compute(nodes, root, values) {
    var n = nodes.length, data = new Float64Array(n), local = new Array(n), i, q, node;
    for (i = 0; i < n; i++) {
      node = nodes[i];
      if (node.leaf) { data[i] = values[i]; continue; }
      var kernel = kernels[node.key], args = node.inputs.map(function (j) { return data[j]; });
      for (q = 0; q < kernel.checks.length; q++) {
        if (kernel.checks[q].apply(null, args)) {
          return {refusal: refusal(nodes, i, tables.gates[node.key].says[q], args)};
        }
      }
      var out, slopes = [];
      try {  // ** throws where Python's raises OverflowError (helpers_js's floats.pow)
        out = kernel.forward.apply(null, args);
        for (q = 0; isFinite(out) && q < kernel.local.length; q++) { slopes.push(kernel.local[q].apply(null, args.concat([out]))); }
      } catch (error) {  // Python's ** raises: in the result, or in a local derivative only
        if (!(error instanceof RangeError)) { throw error; }
        var why = isFinite(out) ? tables.refusal.localOverflow : tables.refusal.overflow;
        return {refusal: refusal(nodes, i, why, args)};
      }
      if (!isFinite(out)) { return {refusal: refusal(nodes, i, tables.refusal.overflow, args)}; }
      data[i] = out;
      local[i] = slopes;
    }
    // Backward in reversed evaluation order, as engine.value.propagate: each gate sends
    // upstream × local to each input, added to what the input holds; a sum that is not
    // finite is refused, naming the gate that sent it.
    var sums = new Float64Array(n), steps = [], firedAt = new Int32Array(n).fill(-1);
    sums[root] = 1.0;
    for (i = n - 1; i >= 0; i--) {
      node = nodes[i];
      if (node.leaf) { continue; }
      var upstream = sums[i], inputs = [];
      for (q = 0; q < node.inputs.length; q++) {
        var j = node.inputs[q], contribution = local[i][q] * upstream, before = sums[j];
        sums[j] = before + contribution;
        inputs.push({node: j, position: q, local: local[i][q], contribution: contribution,
                     before: before, after: sums[j]});
      }
      for (q = 0; q < node.inputs.length; q++) {
        if (!isFinite(sums[node.inputs[q]])) {
          return {refusal: backwardRefusal(nodes, root, i, q, upstream, local[i][q],
                                           sums[node.inputs[q]], data)};
        }
      }
      firedAt[i] = steps.length;
      steps.push({node: i, upstream: upstream, inputs: inputs});
    }
    return {data: data, local: local, steps: steps, grad: sums, firedAt: firedAt};
  }

  return {compute: compute};
})();
