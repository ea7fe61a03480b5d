// Gradient health (edges coloured by the size of what they carry; saturated sigmoid/tanh, dead
// relu and exploding gradients flagged) and the printed handout (every step of the current
// phase with its caption, several per A4 page; print CSS in page.css).
"use strict";
(function () {
  var D = GG.data, t = GG.tools, T = t.T, el = t.el, $ = t.$, name = t.name, mark = t.mark;
  var DIG = D.digits, healthOn = false;
  function paintHealth() {
    var S = GG.state(), notes = $("health-notes");
    notes.textContent = "";
    document.body.classList.toggle("health", healthOn);
    D.nodes.forEach(function (n, i) {
      if (n.leaf) { return; }
      var gate = D.gates[n.key].name, id = n.id.slice(1), up = S.grad[i];
      n.inputs.forEach(function (j, q) {
        var size = Math.abs(S.local[i][q] * up), band = size < 1e-3 ? 0 : size < 0.1 ? 1 : size < 10 ? 2 : 3;
        var edge = $("e" + id + "_" + q);
        if (edge) { edge.setAttribute("data-band", healthOn ? String(band) : ""); }
      });
      var flag = "";
      if ((gate === "sigmoid" || gate === "tanh") && Math.abs(S.local[i][0]) < 0.01) {
        flag = T("saturated {gate}: local gradient {local}", {gate: gate, local: num(S.local[i][0], 4)});
      } else if (gate === "relu" && S.data[n.inputs[0]] <= 0) {
        flag = T("dead relu: its input is {value}", {value: num(S.data[n.inputs[0]], DIG)});
      } else if (Math.abs(up) > 1e3) {
        flag = T("exploding gradient: {value}", {value: num(up, DIG)});
      }
      mark("g" + id, "flagged", healthOn && flag !== "");
      if (healthOn && flag) { notes.appendChild(el("li", name(i) + ": " + flag)); }
    });
  }

  // -- print: every step of the current phase, with its caption -------------------------------------
  function handout() {
    var out = $("handout"), keep = GG.position(), phase = t.phaseOf(keep)[0];
    var svg = document.querySelector("#diagram svg");
    out.textContent = "";
    for (var p = 0; p <= t.last(); p++) {
      if (t.phaseOf(p)[0] !== phase) { continue; }
      t.moveTo(p);
      t.paint(p);
      var fig = el("figure", undefined, "print-step picture"), cap = el("figcaption");
      cap.appendChild(el("h2", $("title").textContent));
      cap.appendChild(el("p", $("rule").textContent));
      cap.appendChild(el("pre", $("lines").textContent));
      fig.appendChild(cap);
      var copy = svg.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
      fig.appendChild(copy);
      out.appendChild(fig);
    }
    t.moveTo(keep);
    t.render();
  }

  GG.plug({
    speak: function () { if (healthOn) { paintHealth(); } },
    start: function () {
      $("health-on").addEventListener("change", function () {
        healthOn = $("health-on").checked;
        paintHealth();
      });
      $("print").addEventListener("click", function () { handout(); window.print(); });
      window.addEventListener("beforeprint", handout);
    }
  });
})();
