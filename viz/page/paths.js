// paths: the side panel's reading of the gradients. Under each leaf its gradient; for the node
// clicked, every path from it to the output with its product of local derivatives (their sum
// is the gradient: why gradients add at a fork) and, for a leaf, the nudge (f(x+h) − f(x))/h.
"use strict";
var paths = (function () {
  var LIMIT = 64;  // paths listed; more are counted (up to 10,000)

  function nudge(i) {
    var values = page.values(), h = 1e-6 * Math.max(1, Math.abs(values[i])), moved = values.slice();
    moved[i] += h;
    var there = engine.compute(page.nodes, page.root, moved);
    if (there.refusal) { return null; }
    return (there.data[page.root] - page.state().data[page.root]) / h;
  }

  function walk(i) {  // every path from node i to the root, as lists of [gate, input position]
    var found = [], count = 0, nodes = page.nodes;
    function along(j, trail) {
      if (j === page.root) { count++; if (found.length < LIMIT) { found.push(trail.slice()); } return; }
      nodes[j].consumers.forEach(function (c) {
        nodes[c].inputs.forEach(function (x, q) {
          if (x === j && count <= 10000) { trail.push([c, q]); along(c, trail); trail.pop(); }
        });
      });
    }
    along(i, []);
    return {list: found, count: count};
  }

  var lit = {};  // the ids on a path now; only the difference is repainted
  function light(ids) {
    Object.keys(lit).forEach(function (id) { if (!ids[id]) { picture.mark(id, "onpath", false); } });
    Object.keys(ids).forEach(function (id) { if (!lit[id]) { picture.mark(id, "onpath", true); } });
    lit = ids;
  }

  function paint(selected) {
    var result = page.state(), digits = page.digits(), r0 = page.name(page.root), nodes = page.nodes;
    var num = numbers.num, el = page.element, out = page.$("paths");
    nodes.forEach(function (n, j) {
      if (n.leaf) { picture.setCell("gr" + j, "d" + r0 + "/d" + n.name + " = " + num(result.grad[j], digits), "readout"); }
    });
    out.textContent = "";
    page.$("nudge").textContent = "";
    if (selected === null) {
      light({});
      out.appendChild(el("p", words.say("Click a node to see every path from it to the output."), "hint"));
      return;
    }
    var i = selected, found = walk(i), total = 0, ids = {}, list = el("ol");
    out.appendChild(el("h3", words.say("Paths from {name} to {root}", {name: page.name(i), root: r0})));
    found.list.forEach(function (trail) {
      var prod = 1, factors = [], names = [page.name(i)];
      trail.forEach(function (e) {
        var local = result.local[e[0]][e[1]], id = nodes[e[0]].id.slice(1);
        prod *= local;
        factors.push(numbers.operand(local, digits));
        names.push(page.name(e[0]));
        ids["e" + id + "_" + e[1]] = ids["e" + id + "_out"] = ids[nodes[e[0]].id] = 1;
      });
      total += prod;
      list.appendChild(el("li", words.say("{path}: {product}", {path: names.join(" → "),
        product: (factors.length ? factors.join(" × ") : "1") + " = " + num(prod, digits)})));
    });
    ids[nodes[i].id] = 1;
    light(ids);
    out.appendChild(list);
    out.appendChild(found.count <= found.list.length ?
      el("p", words.say("Sum of the paths: {sum} = d{root}/d{name} = {grad}",
                        {sum: num(total, digits), root: r0, name: page.name(i), grad: num(result.grad[i], digits)}), "sum") :
      el("p", words.say("{count} paths; the first {shown} are listed.", {count: found.count, shown: found.list.length})));
    if (nodes[i].leaf) {
      var slope = nudge(i), more = Math.min(12, digits + 2);
      if (slope !== null) {
        page.$("nudge").textContent = words.say("Nudge {name}: (f(x+h) − f(x))/h = {slope}, gradient {grad}",
          {name: page.name(i), slope: num(slope, more), grad: num(result.grad[i], more)});
      }
    }
  }

  function start() {  // a click on a node of the picture shows its paths
    page.nodes.forEach(function (n, i) {
      var g = page.$(n.id);
      if (g) { g.addEventListener("click", function () { page.select(i); }); }
    });
  }

  return {start: start, paint: paint};
})();
