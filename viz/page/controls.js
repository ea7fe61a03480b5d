// controls: how a class moves through the lesson. → and ← (presentation clickers send PageDown
// and PageUp; space steps too) from anywhere in the page but a text field being edited,
// Home and End, the buttons and the slider, and the address: #step=k shows position k of N,
// the same k as the counter "k / N".
"use strict";
var controls = (function () {
  var KEYS = {ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1};
  var TYPED = {text: 1, number: 1, search: 1, email: 1, url: 1, tel: 1, password: 1};

  function editing(target) {  // a field whose keys are its own while it has the focus
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName;
    return (tag === "INPUT" && TYPED[target.type]) || tag === "TEXTAREA" || tag === "SELECT" ||
      target.isContentEditable;
  }

  // The control that took the focus from a mouse click (not from Tab), if any.
  var pointing = false, clicked = null;
  function pointerDown() { pointing = true; }
  function focusIn(e) { clicked = pointing ? e.target : null; pointing = false; }

  function onKey(e) {
    pointing = false;
    if (e.altKey || e.ctrlKey || e.metaKey || editing(e.target)) { return; }
    var target = e.target, slider = target.tagName === "INPUT" && target.type === "range";
    // A leaf's slider keeps its arrows (they move the value); the clicker's keys step.
    if (slider && target.id !== "slider" && (e.key === "ArrowLeft" || e.key === "ArrowRight")) { return; }
    // Space on a control reached with Tab presses it, as the keyboard expects; on a control
    // the mouse clicked it steps, like the clicker's other keys.
    if (e.key === " " && target !== clicked && target.matches && target.matches("button, input")) { return; }
    var p = page.position();
    if (e.key in KEYS) { page.go(p + KEYS[e.key]); }
    else if (e.key === "Home") { page.go(0); }
    else if (e.key === "End") { page.go(page.last()); }
    else if (e.key === "+" || e.key === "=") { picture.zoomBy(1.25); }
    else if (e.key === "-") { picture.zoomBy(1 / 1.25); }
    else if (e.key === "0") { picture.zoomBy(0); }
    else { return; }
    e.preventDefault();  // a checkbox must not toggle, nor a slider move, nor the page scroll
  }

  function show(p, last) {
    var k = p + 1, n = last + 1;
    page.$("slider").max = String(last);
    page.$("slider").value = String(p);
    page.$("counter").textContent = k + " / " + n;
    page.$("prev").disabled = p === 0;
    page.$("next").disabled = p === last;
    if (location.hash !== "#step=" + k) {
      try { history.replaceState(null, "", "#step=" + k); } catch (err) { /* a sandboxed frame */ }
    }
  }

  // Screen readers hear each step once it is chosen (not on every live edit, which repaints
  // the caption up to sixty times a second while a slider moves).
  function announce() {
    page.$("announce").textContent = page.$("title").textContent + ". " + page.$("rule").textContent;
  }

  function fromAddress() {  // #step=k: position k - 1
    var m = /step=(\d+)/.exec(location.hash || "");
    return m ? Math.max(0, Math.min(page.last(), parseInt(m[1], 10) - 1)) : 0;
  }

  function panel(open) {  // the side panel: leaves, update step, paths
    document.body.classList.toggle("no-panel", !open);
    page.$("panel").setAttribute("aria-pressed", open ? "true" : "false");
  }

  function start() {
    var $ = page.$;
    $("prev").addEventListener("click", function () { page.go(page.position() - 1); });
    $("next").addEventListener("click", function () { page.go(page.position() + 1); });
    $("slider").addEventListener("input", function () { page.go(parseInt($("slider").value, 10)); });
    $("zoom-in").addEventListener("click", function () { picture.zoomBy(1.25); });
    $("zoom-out").addEventListener("click", picture.toggleWhole);
    $("lang").addEventListener("click", function () {
      words.speak(words.language() === "zh" ? "en" : "zh");
      page.render();
      announce();  // a screen reader hears the step again, in the language chosen
    });
    $("panel").addEventListener("click", function () { panel(document.body.classList.contains("no-panel")); });
    $("digits").addEventListener("change", function () {
      page.setDigits(parseInt($("digits").value, 10));
      $("digits").blur();  // chosen: the keys step the lesson again
    });
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", pointerDown, true);
    document.addEventListener("focusin", focusIn, true);
  }

  return {start: start, show: show, announce: announce, fromAddress: fromAddress, panel: panel};
})();
