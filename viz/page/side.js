// The side panel: each leaf's gradient, the nudge (f(x+h) − f(x))/h beside it, every path from
// the selected node to the output with its product of local derivatives (their sum is the
// gradient: why gradients add at a fork), and the update step w ← w − η·grad.
"use strict";
(function () {
  var D = GG.data, t = GG.tools, T = t.T, el = t.el, $ = t.$, name = t.name, mark = t.mark;
  var setCell = t.setCell, ROOT = D.root, DIG = D.digits, S = null;
  function nudge(i) {
    var values = GG.values(), h = 1e-6 * Math.max(1, Math.abs(values[i])), moved = values.slice();
    moved[i] += h;
    var there = GG.compute(moved);
    if (there.error) { return null; }
    return (there.data[ROOT] - S.data[ROOT]) / h;
  }
  function paths(i) {  // every path from node i to the root, as lists of [gate, input position]
    var found = [], limit = 64, count = 0;
    function walk(j, trail) {
      if (j === ROOT) { count++; if (found.length < limit) { found.push(trail.slice()); } return; }
      D.nodes[j].consumers.forEach(function (c) {
        D.nodes[c].inputs.forEach(function (x, q) {
          if (x === j && count <= 10000) { trail.push([c, q]); walk(c, trail); trail.pop(); }
        });
      });
    }
    walk(i, []);
    return {list: found, count: count};
  }
  var lighted = {};
  function light(ids) {
    Object.keys(lighted).forEach(function (id) { if (!ids[id]) { mark(id, "onpath", false); } });
    Object.keys(ids).forEach(function (id) { if (!lighted[id]) { mark(id, "onpath", true); } });
    lighted = ids;
  }
  function paintSide(selected) {
    S = GG.state();
    D.nodes.forEach(function (n, j) {
      if (n.leaf) { setCell("gr" + j, "d" + name(ROOT) + "/d" + n.name + " = " + num(S.grad[j], DIG), "readout"); }
    });
    var lit = {};  // the ids on a path now; only the difference from before is repainted
    var out = $("paths");
    out.textContent = "";
    if (selected === null) {
      light({});
      out.appendChild(el("p", T("Click a node to see every path from it to the output."), "hint"));
      $("nudge").textContent = "";
      return;
    }
    var i = selected, r0 = name(ROOT), P = paths(i), total = 0;
    out.appendChild(el("h3", T("Paths from {name} to {root}", {name: name(i), root: r0})));
    var list = el("ol");
    P.list.forEach(function (trail) {
      var prod = 1, factors = [], names = [name(i)];
      trail.forEach(function (e) {
        var loc = S.local[e[0]][e[1]];
        prod *= loc;
        factors.push(operand(loc, DIG));
        names.push(name(e[0]));
        lit["e" + D.nodes[e[0]].id.slice(1) + "_" + e[1]] = 1;
        lit["e" + D.nodes[e[0]].id.slice(1) + "_out"] = 1;
        lit[D.nodes[e[0]].id] = 1;
      });
      total += prod;
      list.appendChild(el("li", names.join(" → ") + ": " + (factors.length ? factors.join(" × ") : "1") +
                          " = " + num(prod, DIG)));
    });
    lit[D.nodes[i].id] = 1;
    light(lit);
    out.appendChild(list);
    if (P.count <= P.list.length) {
      out.appendChild(el("p", T("Sum of the paths: {sum} = d{root}/d{name} = {grad}",
                                {sum: num(total, DIG), root: r0, name: name(i), grad: num(S.grad[i], DIG)}), "sum"));
    } else {
      out.appendChild(el("p", T("{count} paths; the first {shown} are listed.", {count: P.count, shown: P.list.length})));
    }
    if (D.nodes[i].leaf) {
      var slope = nudge(i);
      $("nudge").textContent = slope === null ? "" :
        T("Nudge {name}: (f(x+h) − f(x))/h = {slope}, gradient {grad}",
          {name: name(i), slope: num(slope, Math.min(12, DIG + 2)), grad: num(S.grad[i], Math.min(12, DIG + 2))});
    } else { $("nudge").textContent = ""; }
  }

  function update() {
    var eta = parseFloat($("eta").value), table = $("update-out");
    if (!isFinite(eta) || eta <= 0) {
      $("alert").textContent = T("The learning rate η must be a positive number, got {value}", {value: $("eta").value});
      $("alert").hidden = false;
      return;
    }
    S = GG.state();
    var before = S.data[ROOT], old = GG.values(), values = old.slice(), rows = [];
    D.params.forEach(function (j) {
      values[j] = old[j] - eta * S.grad[j];
      rows.push([name(j), num(old[j], DIG), num(S.grad[j], DIG), num(values[j], DIG)]);
    });
    if (!t.setValues(values)) { return; }
    S = GG.state();
    D.params.forEach(function (j) { $("v" + j).value = String(values[j]); $("r" + j).value = String(values[j]); });
    table.textContent = "";
    var head = el("tr");
    [T("parameter"), T("before"), T("gradient"), T("after")].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr");
      r.forEach(function (c) { tr.appendChild(el("td", c)); });
      table.appendChild(tr);
    });
    $("loss").textContent = T("{root}: {before} → {after}", {root: name(ROOT), before: num(before, DIG), after: num(S.data[ROOT], DIG)});
  }

  GG.plug({
    side: paintSide,
    start: function () { $("update").addEventListener("click", update); }
  });
})();
