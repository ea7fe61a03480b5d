// captions: what the teacher says at each position of the gate view, as the frames and tables
// say it. The title and the rule are msgids of the catalogues; the lines are words.lines's own
// templates (tables.lines), filled with names and with numbers written by numbers.js.
"use strict";
var captions = (function () {
  var lines = tables.lines;

  // s0 = w0 * x0 = 2.00 * (-1.00) = -2.00 (words.forward_line): a negative operand bracketed
  // where the formula needs it, a negated zero as -(0.00), never -0.00.
  function forwardLine(i) {
    var node = page.nodes[i], gate = tables.gates[node.key], data = page.state().data;
    var digits = page.digits();
    function fill(what) {
      return gate.show.replace(/\b([ab])\b/g, function (m, v) {
        return what(node.inputs[gate.inputs.indexOf(v)], v);
      });
    }
    var shown = fill(function (j, v) {
      var text = (gate.bracket.indexOf(v) >= 0 ? numbers.operand : numbers.num)(data[j], digits);
      return gate.negated.indexOf(v) >= 0 && text === numbers.num(0, digits) ? "(" + text + ")" : text;
    });
    return words.fill(lines.forward, {name: page.name(i), formula: fill(page.name), values: shown,
                                      result: numbers.num(data[i], digits)});
  }

  // Had this input received a contribution before this one (a fork: show the running total)?
  function received(steps, s, r) {
    for (var t = 0; t < s; t++) {
      if (steps[t].inputs.some(function (x) { return x.node === r.node; })) { return true; }
    }
    return steps[s].inputs.some(function (x) { return x.node === r.node && x.position < r.position; });
  }

  // dfdw0 += df/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20 (words.chain_rule_lines), per input.
  function chainLines(k) {
    var steps = page.state().steps, step = steps[k - 1], digits = page.digits(), out = [];
    var names = {root: page.name(page.root), node: page.name(step.node)};
    step.inputs.forEach(function (r) {
      var shown = numbers.product(step.upstream, r.local, r.contribution, digits, false);
      names.input = page.name(r.node);
      out.push(words.fill(lines.chain, Object.assign({upstream: shown[0], local: shown[1],
                                                      contribution: shown[2]}, names)));
      if (r.before !== 0 || received(steps, k - 1, r)) {
        out.push(words.fill(lines.total, Object.assign({
          before: numbers.num(r.before, digits), contribution: numbers.operand(r.contribution, digits),
          after: numbers.num(r.after, digits)}, names)));
      }
    });
    return out;
  }

  function leavesLine(limit) {
    var data = page.state().data, shown = [];
    page.nodes.forEach(function (n, i) {
      if (n.leaf) { shown.push(words.fill(lines.leaf, {name: n.name, value: numbers.num(data[i], page.digits())})); }
    });
    return shown.slice(0, limit).join(", ") + (shown.length > limit ? ", …" : "");
  }

  function write(title, rule, text, backward) {
    page.$("title").textContent = title;
    page.$("rule").textContent = rule;
    page.$("lines").textContent = text.join("\n");
    page.$("table").textContent = "";
    document.body.classList.toggle("backward", backward);
  }

  function show(phase, k) {
    var total = page.gates.length, root = page.name(page.root);
    if (phase === "forward" && k === 0) {
      write(words.say("Forward pass · {total} gates", {total: total}),
            words.say("The inputs are set. Each gate computes its output from its inputs, inputs before outputs."),
            [leavesLine(8)], false);
    } else if (phase === "forward") {
      var i = page.gates[k - 1];
      write(words.say("Forward step {k} of {n}: {gate} → {node}",
                      {k: k, n: total, gate: words.gateTitle(page.nodes[i].key), node: page.name(i)}),
            "", [forwardLine(i)], false);
    } else if (k === 0) {
      write(words.say("Backward pass · {total} gates", {total: total}),
            words.say("Backward starts at the output with d{root}/d{root} = 1. Each gate then sends upstream × local derivative to each of its inputs.", {root: root}),
            [words.fill(lines.seed, {root: root})], true);
    } else {
      var step = page.state().steps[k - 1], key = page.nodes[step.node].key;
      write(words.say("Backward step {k} of {n}: {gate} at {node}",
                      {k: k, n: total, gate: words.gateTitle(key), node: page.name(step.node)}),
            words.say(tables.gates[key].rule),
            quiz.holds(k) ? [words.say("Quiz: what does each input hold after this step? Answer below.")] : chainLines(k),
            true);
    }
  }

  return {show: show, write: write, forwardLine: forwardLine, chainLines: chainLines,
          leavesLine: leavesLine};
})();
