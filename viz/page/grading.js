// grading: grading.misconceptions.diagnose in the page, read from Python's data (tables.grading:
// the readings, the slack, the right answer and the tolerance as formulas; the misconception
// catalogue), so the page grades exactly as `gategrad quiz` does. An answer is right when it
// is the exact value or the value worked out from the numbers as displayed, within the
// rounding of the last digit shown; a wrong one is matched against the catalogue the same way.
"use strict";
var grading = (function () {
  var rule = tables.grading;

  function close(answer, value, digits) {
    return isFinite(answer) && isFinite(value) &&
      Math.abs(answer - value) <= rule.tolerance(value, digits, rule.slack);
  }
  function args(view) { return rule.variables.map(function (k) { return view[k]; }); }

  // d out / d input from the gate's own formula at these numbers, or null where it has no
  // finite value (a displayed 0.00 under 1 / a).
  function gateLocal(key, position, view) {
    var kernel = kernels[key], a = view.own, b = view.other;
    if (position === 1) { a = view.other; b = view.own; }
    var local;
    try {
      local = kernel.local[position].apply(null, kernel.local.length === 1 ? [a, view.out] : [a, b, view.out]);
    } catch (error) {  // ** overflowed, as Python's raises
      if (!(error instanceof RangeError)) { throw error; }
      return null;
    }
    return typeof local === "number" && isFinite(local) ? local : null;
  }

  // The step's numbers as one reading sees them, or null where it has none.
  function read(numbersSeen, key, position, digits, reading) {
    var view = {};
    rule.variables.forEach(function (k) {
      view[k] = reading.rounded ? parseFloat(numbers.num(numbersSeen[k], digits)) : numbersSeen[k];
    });
    if (reading.localFromGate) {
      var local = gateLocal(key, position, view);
      if (local === null) { return null; }
      view.local = local;
    }
    return view;
  }

  // The verdict on one answer to "what does input `position` of gate `key` hold after the
  // step?", from the step's exact numbers {upstream, local, own, other, out, before}.
  function diagnose(seen, key, position, answer, digits) {
    var gate = tables.gates[key], input = gate.inputs[position], views = [], answers = {};
    rule.readings.forEach(function (reading) {
      var view = read(seen, key, position, digits, reading);
      if (view !== null) {
        views.push(view);
        answers[reading.key] = rule.rightAnswer.apply(null, args(view));
      }
    });
    function gradedRight(x) {
      return Object.keys(answers).filter(function (k) { return close(x, answers[k], digits); })[0] || "";
    }
    var how = gradedRight(answer), found = [];
    if (!how) {
      tables.misconceptions.forEach(function (m) {
        if (m.gates.length && m.gates.indexOf(gate.name) < 0) { return; }
        if (m.inputs.length && m.inputs.indexOf(input) < 0) { return; }
        var matched = views.some(function (view) {
          if (!m.when.apply(null, args(view))) { return false; }
          var theirs = m.answer.apply(null, args(view));
          return close(answer, theirs, digits) && !gradedRight(theirs);
        });
        if (matched) { found.push(m); }
      });
    }
    return {right: how !== "", how: how, answers: answers, exact: answers.exact,
            fromRounded: how !== "" && how !== "exact", misconceptions: found};
  }

  // The numbers of one input of a backward step, as grading.step_numbers gives them.
  function stepNumbers(step, position) {
    var result = page.state(), node = page.nodes[step.node], r = step.inputs[position];
    var other = node.inputs.length > 1 ? result.data[node.inputs[1 - position]] : 0.0;
    return {upstream: step.upstream, local: r.local, own: result.data[r.node], other: other,
            out: result.data[step.node], before: r.before};
  }

  return {diagnose: diagnose, stepNumbers: stepNumbers, close: close};
})();
