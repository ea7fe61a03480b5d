// fields: each leaf's entry and slider. What is typed is read as Python's float() reads a
// number, and refused with its reason beside the field when it is not one a graph can take
// (abc, 0x10, 1,5, NaN, Infinity, 1e999); the page keeps its last good state, and the field
// shows the last good value again once it is left (Enter, Tab, a click elsewhere).
"use strict";
var fields = (function () {
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

  // {value} for a finite number, {reason} (a message) for anything else, {} for an empty field.
  function read(typed) {
    var text = typed.trim().replace(/\u2212/g, "-");
    if (text === "") { return {}; }
    if (NUMBER.test(text)) {
      var value = Number(text);
      return isFinite(value) ? {value: value} :
        {reason: {msgid: "{text} is too large for a float64 number (the largest is about 1.8e308)", params: {text: text}}};
    }
    if (/^[+-]?(nan|inf|infinity)$/i.test(text)) {
      return {reason: {msgid: "{text}: NaN and infinity never enter a graph; type a finite number", params: {text: text}}};
    }
    if (/^[+-]?\d*,\d+$/.test(text)) {
      return {reason: {msgid: "{text}: write the decimal point as a point, {number}", params: {text: text, number: text.replace(",", ".")}}};
    }
    return {reason: {msgid: "{text} is not a number: type digits with a point and an optional exponent, like -1.5 or 2e-3", params: {text: text}}};
  }

  function setLeaf(i, v, from) {
    var next = page.values();
    next[i] = v;
    var refusal = page.edit(next);
    words.show(page.$("alert"), refusal);
    if (refusal) { return false; }
    var box = page.$("v" + i), bar = page.$("r" + i);
    if (box !== from && Number(box.value) !== v) { box.value = String(v); }
    if (bar !== from) { bar.value = String(v); }
    refuse(i, null);
    return true;
  }

  function refuse(i, reason) {
    words.show(page.$("why" + i), reason);
    page.$("v" + i).setAttribute("aria-invalid", reason ? "true" : "false");
  }

  function row(i) {
    var n = page.nodes[i], line = page.element("div", undefined, "leaf"), v = n.value;
    var span = Math.max(1, Math.abs(v)) * 2, el = page.element;
    var box = el("input"), bar = el("input"), why = el("span", "", "why");
    box.type = "text"; box.inputMode = "decimal"; box.id = "v" + i; box.value = String(v);
    box.setAttribute("aria-label", n.name);
    box.setAttribute("aria-describedby", "why" + i);
    bar.type = "range"; bar.id = "r" + i; bar.step = "0.01";
    bar.min = String(v - span); bar.max = String(v + span); bar.value = String(v);
    bar.setAttribute("aria-label", n.name);
    why.id = "why" + i;
    why.setAttribute("role", "alert");
    why.hidden = true;
    box.addEventListener("input", function () {
      var got = read(box.value);
      if (got.reason) { refuse(i, got.reason); }
      else if (got.value !== undefined) { setLeaf(i, got.value, box); }
    });
    box.addEventListener("change", function () {  // left: back to the value the page holds
      var held = page.values()[i];
      if (read(box.value).value !== held) { box.value = String(held); }
    });
    bar.addEventListener("input", function () { setLeaf(i, Number(bar.value), bar); });
    box.addEventListener("focus", function () { page.select(i); });
    line.appendChild(el("span", n.name, "name"));
    line.appendChild(box);
    line.appendChild(bar);
    var readout = el("span", "", "readout");
    readout.id = "gr" + i;
    line.appendChild(readout);
    line.appendChild(why);
    return line;
  }

  function start() {
    var list = page.$("leaves"), data = page.data;
    // the data inputs first, then the parameters, then the constants, each in the graph's order
    data.inputs.forEach(function (i) { list.appendChild(row(i)); });
    data.params.forEach(function (i) { list.appendChild(row(i)); });
    page.nodes.forEach(function (n, i) {
      if (n.leaf && data.inputs.indexOf(i) < 0 && data.params.indexOf(i) < 0) { list.appendChild(row(i)); }
    });
  }

  function sync() {  // after the update step: every entry and slider shows the page's values
    page.values().forEach(function (v, i) {
      var box = page.$("v" + i);
      if (box) { box.value = String(v); page.$("r" + i).value = String(v); refuse(i, null); }
    });
  }

  return {start: start, sync: sync, read: read};
})();
