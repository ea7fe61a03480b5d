// quiz: before a gate fires, what each of its inputs will hold is hidden and asked for. Each
// answer is graded by grading.diagnose (Python's rule): right from the exact numbers, right
// from the numbers as shown (with the exact value beside it), or wrong, named by the
// misconception it matches. A wrong answer may be tried again or revealed; the score counts
// the questions right at the first try, as `gategrad quiz` counts them.
"use strict";
var quiz = (function () {
  var on = false, asked = {}, score = {right: 0, asked: 0};  // asked["k:q"]: one question

  function question(k, q) { return asked[k + ":" + q] || (asked[k + ":" + q] = {tries: 0, done: false, said: null, typed: ""}); }

  function holds(k) {  // is backward step k held back until its inputs are answered?
    if (!on || k < 1) { return false; }
    return page.state().steps[k - 1].inputs.some(function (r, q) { return !question(k, q).done; });
  }

  function feedback(verdict, name, digits) {
    if (verdict.fromRounded) {
      return {msgid: "right, from the rounded numbers; exactly {exact}",
              params: {exact: numbers.num(verdict.exact, Math.min(digits + 2, 12))}};
    }
    if (verdict.right) {
      return {msgid: "right: {name} holds {right}", params: {name: name, right: numbers.num(verdict.exact, digits)}};
    }
    if (verdict.misconceptions.length) {
      var m = verdict.misconceptions[0];
      return [{msgid: "That answer matches a misconception: {title}.", params: {title: {msgid: m.title}}},
              {msgid: m.explain}];
    }
    return {msgid: "That answer matches none of the misconceptions we know. Check the chain rule: before + upstream × local."};
  }

  function check(k, q, typed) {
    var step = page.state().steps[k - 1], r = step.inputs[q], one = question(k, q), digits = page.digits();
    var got = fields.read(typed);
    if (got.value === undefined) {
      one.said = got.reason || {msgid: "Type a number first."};
      page.render();
      return;
    }
    if (one.tries === 0) { score.asked++; }
    one.tries++;
    one.typed = typed;
    var verdict = grading.diagnose(grading.stepNumbers(step, q), page.nodes[step.node].key, q, got.value, digits);
    one.said = feedback(verdict, page.name(r.node), digits);
    if (verdict.right) {
      one.done = true;
      if (one.tries === 1) { score.right++; }
    }
    page.render();
    var again = page.$("q" + q);
    if (again && !one.done) { again.focus(); }
  }

  function row(k, q, r) {
    var one = question(k, q), el = page.element, line = el("div", undefined, "question");
    var label = words.say("d{root}/d{name} after this step", {root: page.name(page.root), name: page.name(r.node)});
    var field = el("input"), said = el("p", "", "feedback");
    field.type = "text"; field.inputMode = "decimal"; field.id = "q" + q; field.value = one.typed;
    field.setAttribute("aria-label", label);
    said.setAttribute("role", "status");
    if (one.said) { said.textContent = words.render(one.said); }
    line.appendChild(el("label", label + " = "));
    line.appendChild(field);
    if (one.done) {
      field.disabled = true;
    } else {
      var button = el("button", words.say("Check"));
      button.type = "button";
      button.addEventListener("click", function () { check(k, q, field.value); });
      field.addEventListener("keydown", function (e) { if (e.key === "Enter") { check(k, q, field.value); } });
      line.appendChild(button);
    }
    line.appendChild(said);
    if (one.tries && !one.done) {
      var reveal = el("button", words.say("Reveal"));
      reveal.type = "button";
      reveal.addEventListener("click", function () {
        one.done = true;
        one.said = {msgid: "right: {name} holds {right}", params: {name: page.name(r.node), right: numbers.num(r.after, page.digits())}};
        page.render();
      });
      line.appendChild(reveal);
    }
    return line;
  }

  function paint(phase, k) {
    var box = page.$("quiz"), el = page.element;
    box.textContent = "";
    box.hidden = !on;
    if (!on) { return; }
    box.appendChild(el("p", words.say("Score: {right} of {asked}", {right: score.right, asked: score.asked}), "score"));
    if (phase !== "backward" || k < 1) { return; }
    var steps = page.state().steps;
    steps[k - 1].inputs.forEach(function (r, q) { box.appendChild(row(k, q, r)); });
    if (k === steps.length && !holds(k)) {
      box.appendChild(el("p", words.say("Quiz done: {right} of {asked} right at the first try.", score), "done"));
    }
  }

  function focus() {
    var field = document.querySelector("#quiz input:not([disabled])");
    if (field) { field.focus(); }
  }

  function start() {
    page.$("quiz-on").addEventListener("change", function () {
      on = page.$("quiz-on").checked;
      document.body.classList.toggle("quiz", on);  // the side panel's gradients would tell
      page.render();
    });
  }

  return {start: start, paint: paint, holds: holds, focus: focus};
})();
