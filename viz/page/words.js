// words: every sentence the page shows, in the language chosen (English or 中文; both travel in
// the file). A sentence is a msgid of Python's catalogues, translated from page.data.cat and
// filled like Python's str.format; a message is {msgid, params}, kept as such so that what is
// showing (an error, a reason beside a field) is written again when the language changes.
"use strict";
var words = (function () {
  var language = null;

  // Fill {name} placeholders in one pass: a value that holds "{x}" stays as it is.
  function fill(template, params) {
    return template.replace(/\{(\w+)\}/g, function (m, k) {
      return params && k in params ? String(params[k]) : m;
    });
  }
  function translate(msgid) {
    var catalogue = page.data.cat[language];
    return (catalogue && catalogue[msgid]) || msgid;
  }
  function say(msgid, params) { return fill(translate(msgid), params); }

  // A message, its params that are messages themselves written in the same language (and
  // {gate: key}, a gate's title); a list of messages is written as sentences one after the
  // other.
  function render(message) {
    if (typeof message === "string") { return message; }
    if (Array.isArray(message)) { return message.map(render).join(" "); }
    if (message.gate) { return gateTitle(message.gate); }
    var params = {};
    Object.keys(message.params || {}).forEach(function (k) {
      var v = message.params[k];
      params[k] = v !== null && typeof v === "object" ? render(v) : v;
    });
    return say(message.msgid, params);
  }

  // A gate as a class reads it: "mul gate", "乘法门" (the gate table's names column).
  function gateTitle(key) {
    var titles = tables.gates[key].titles;
    return titles[language] || titles.en;
  }

  // Show a message in an element (hidden when there is none); written again on a switch.
  var showing = [];
  function show(element, message) {
    showing = showing.filter(function (s) { return s.element !== element; });
    element.textContent = message ? render(message) : "";
    element.hidden = !message;
    if (message) { showing.push({element: element, message: message}); }
  }

  function title() {
    var t = page.data.title;
    return t.msgid ? say(t.msgid, t.params) : t.text;
  }

  function speak(code) {
    language = code;
    document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-t]").forEach(function (e) { e.textContent = say(e.getAttribute("data-t")); });
    document.querySelectorAll("[data-ta]").forEach(function (e) { e.setAttribute("aria-label", say(e.getAttribute("data-ta"))); });
    document.querySelectorAll("[data-tt]").forEach(function (e) { e.title = say(e.getAttribute("data-tt")); });
    document.title = title();
    page.$("heading").textContent = document.title;
    page.$("lang").textContent = code === "zh" ? "English" : "中文";
    showing.forEach(function (s) { s.element.textContent = render(s.message); });
  }

  return {fill: fill, say: say, render: render, show: show, speak: speak, gateTitle: gateTitle,
          language: function () { return language; }};
})();
