// The quiz (issue 11): before a gate fires, each input's gradient is hidden and asked for; a
// wrong answer is matched against the misconception catalogue (MIS, translated from
// grading by viz/page/js.py) or said to match none. A score at the end.
"use strict";
(function () {
  var D = GG.data, t = GG.tools, T = t.T, el = t.el, $ = t.$, name = t.name;
  var ROOT = D.root, TOL = 0.5 * Math.pow(10, -D.digits);
  var S = null, quizOn = false, quiz = {answers: {}, right: 0, asked: 0, tried: {}};

  function asking(k) {  // is the k-th backward step held back until it is answered?
    if (!quizOn || k < 1) { return false; }
    S = GG.state();
    return S.steps[k - 1].ins.some(function (r, q) { return !quiz.answers[(k - 1) + ":" + q]; });
  }
  function numbers(step, r) {
    var node = D.nodes[step.node], other = 0.0;
    if (node.inputs.length > 1) { other = S.data[node.inputs[1 - r.q]]; }
    return {upstream: step.up, local: r.local, own: S.data[r.node], other: other,
            out: S.data[step.node], before: r.before};
  }
  function close(x, y) { return isFinite(x) && isFinite(y) && Math.abs(x - y) <= TOL; }
  function diagnose(step, r, answer) {
    var n = numbers(step, r), gate = D.gates[D.nodes[step.node].key], input = gate.inputs[r.q];
    var args = [n.upstream, n.local, n.own, n.other, n.out, n.before], right = r.after;
    return MIS.filter(function (m) {
      if (m.gates.length && m.gates.indexOf(gate.name) < 0) { return false; }
      if (m.inputs.length && m.inputs.indexOf(input) < 0) { return false; }
      if (!m.when.apply(null, args)) { return false; }
      var theirs = m.answer.apply(null, args);
      return close(theirs, answer) && !close(theirs, right);
    });
  }
  function paintQuiz(phase, k) {
    S = GG.state();
    var box = $("quiz");
    box.textContent = "";
    box.hidden = !quizOn;
    if (!quizOn) { return; }
    box.appendChild(el("p", T("Score: {right} of {asked}", {right: quiz.right, asked: quiz.asked}), "score"));
    if (phase !== "backward" || k < 1) { return; }
    var step = S.steps[k - 1], r0 = name(ROOT);
    step.ins.forEach(function (r, q) {
      var key = (k - 1) + ":" + q;
      if (quiz.answers[key]) { return; }
      var row = el("div", undefined, "question"), field = el("input"), check = el("button", T("Check"));
      var label = T("d{root}/d{name} after this step", {root: r0, name: name(r.node)});
      field.type = "text"; field.setAttribute("aria-label", label); field.id = "q" + q;
      check.type = "button";
      var said = el("p", quiz.tried[key] || "", "feedback");
      said.setAttribute("role", "status");
      row.appendChild(el("label", label + " = "));
      row.appendChild(field);
      row.appendChild(check);
      function submit() {
        var answer = parseFloat(field.value);
        if (!isFinite(answer)) { return; }
        var first = !(key in quiz.tried);
        if (first) { quiz.asked++; }
        if (close(answer, r.after)) {
          if (first) { quiz.right++; }
          quiz.answers[key] = "right";
          t.render();
          return;
        }
        var found = diagnose(step, r, answer);
        quiz.tried[key] = found.length ?
          T("That answer matches a misconception: {title}.", {title: T(found[0].title)}) + " " + T(found[0].explain) :
          T("That answer matches none of the misconceptions we know. Check the chain rule: before + upstream × local.");
        t.render();
        var again = $("q" + q);
        if (again) { again.focus(); }
      }
      check.addEventListener("click", submit);
      field.addEventListener("keydown", function (e) { if (e.key === "Enter") { submit(); } });
      row.appendChild(said);
      if (quiz.tried[key]) {
        var reveal = el("button", T("Reveal"));
        reveal.type = "button";
        reveal.addEventListener("click", function () { quiz.answers[key] = "revealed"; t.render(); });
        row.appendChild(reveal);
      }
      box.appendChild(row);
    });
    if (k === S.steps.length && !asking(k)) {
      box.appendChild(el("p", T("Quiz done: {right} of {asked} right at the first try.", {right: quiz.right, asked: quiz.asked}), "done"));
    }
  }

  GG.plug({
    asking: asking,
    paint: paintQuiz,
    start: function () {
      $("quiz-on").addEventListener("change", function () {
        quizOn = $("quiz-on").checked;
        document.body.classList.toggle("quiz", quizOn);  // the side panel's gradients would tell
        t.render();
      });
    }
  });
})();
