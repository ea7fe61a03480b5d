// update: one step of gradient descent, w ← w − η·grad, on every leaf that is not a data input
// (page.data.params, chosen in Python: viz.page.leaves), with a table of each parameter before
// and after and the output before and after. The panel says which leaves it moves.
"use strict";
var update = (function () {
  var last = null;  // the last step taken: its rows and the output before and after

  function names(list) {
    return list.map(page.name).filter(function (n, k, all) { return all.indexOf(n) === k; }).join(", ");
  }

  function step() {
    var $ = page.$, eta = fields.read($("eta").value).value;
    if (eta === undefined || eta <= 0) {
      words.show($("alert"), {msgid: "The learning rate η must be a positive number, got {value}",
                              params: {value: $("eta").value}});
      return;
    }
    var result = page.state(), digits = page.digits(), num = numbers.num;
    var before = result.data[page.root], old = page.values(), next = old.slice(), rows = [];
    page.data.params.forEach(function (j) {
      next[j] = old[j] - eta * result.grad[j];
      rows.push([page.name(j), num(old[j], digits), num(result.grad[j], digits), num(next[j], digits)]);
    });
    var refusal = page.edit(next);
    words.show($("alert"), refusal);
    if (refusal) { return; }
    fields.sync();
    last = {rows: rows, before: num(before, digits), after: num(page.state().data[page.root], digits)};
    paint();
  }

  function paint() {  // the last step's table, in the language chosen
    var $ = page.$, el = page.element, table = $("update-out");
    table.textContent = "";
    $("loss").textContent = "";
    if (last === null) { return; }
    var head = el("tr");
    [words.say("parameter"), words.say("before"), words.say("gradient"), words.say("after")].forEach(function (h) {
      head.appendChild(el("th", h));
    });
    table.appendChild(head);
    last.rows.forEach(function (r) {
      var tr = el("tr");
      r.forEach(function (c) { tr.appendChild(el("td", c)); });
      table.appendChild(tr);
    });
    $("loss").textContent = words.say("{root}: {before} → {after}",
                                      {root: page.name(page.root), before: last.before, after: last.after});
  }

  function start() {
    var data = page.data;
    words.show(page.$("moves"), data.params.length ?
      {msgid: "It moves {params}; the data inputs {inputs} stay.", params: {params: names(data.params), inputs: names(data.inputs) || "—"}} :
      {msgid: "Every leaf is a data input: there is nothing to move.", params: {}});
    page.$("update").addEventListener("click", step);
  }

  return {start: start, paint: paint};
})();
