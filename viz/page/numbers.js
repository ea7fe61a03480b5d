// numbers: the one hand-written twin in the page. words.num, words.operand and words.product
// (exact mode too) and Python's float repr, tested against Python on many values in Chromium.
"use strict";
var numbers = (function () {
  // Python's f"{x:.{d}f}": toFixed rounds an exact tie away from zero, Python to even.
  function fixed(x, d) {
    var ax = Math.abs(x), s;
    if (ax >= 1e21) {  // toFixed switches to exponent form there; the integer is exact
      s = BigInt(ax).toString() + (d ? "." + "0".repeat(d) : "");
    } else {
      s = ax.toFixed(d);
      var long = ax.toFixed(Math.min(100, d + 30));  // enough digits to see an exact tie
      var dot = long.indexOf(".");
      if (/^50*$/.test(long.slice(dot + 1 + d))) {
        var down = d ? long.slice(0, dot + 1 + d) : long.slice(0, dot);
        if (parseInt(down.slice(-1), 10) % 2 === 0) { s = down; }
      }
    }
    return (x < 0 || Object.is(x, -0) ? "-" : "") + s;
  }

  function num(x, d) {
    if (x !== x) { return "nan"; }
    if (x === Infinity) { return "inf"; }
    if (x === -Infinity) { return "-inf"; }
    var text = fixed(x, d);
    if (text[0] === "-" && parseFloat(text) === 0) { text = text.slice(1); }
    return text;
  }

  function operand(x, d) {
    var text = num(x, d);
    return text[0] === "-" ? "(" + text + ")" : text;
  }

  // A decimal string as a BigInt and a scale: "-1.25" -> {n: -125n, k: 2}.
  function decimal(s) {
    var neg = s[0] === "-", body = neg ? s.slice(1) : s, dot = body.indexOf(".");
    var n = BigInt(body.replace(".", ""));
    return {n: neg ? -n : n, k: dot < 0 ? 0 : body.length - dot - 1};
  }

  // n / 10^drop rounded half to even (Decimal's ROUND_HALF_EVEN).
  function roundHalfEven(n, drop) {
    if (drop <= 0) { return n * (10n ** BigInt(-drop)); }
    var neg = n < 0n, a = neg ? -n : n, unit = 10n ** BigInt(drop);
    var q = a / unit, r = a % unit, twice = 2n * r;
    if (twice > unit || (twice === unit && q % 2n === 1n)) { q += 1n; }
    return neg ? -q : q;
  }

  function trim(text) {
    if (text.indexOf(".") >= 0) { text = text.replace(/0+$/, "").replace(/\.$/, ""); }
    return text === "-0" ? "0" : text;
  }

  var MAX_DIGITS = 12;

  // The strings of a line "a × b = out" (b bracketed when negative); exact: enough digits for
  // the displayed product to check out by hand.
  function product(a, b, out, d, exact) {
    if (!exact || !isFinite(a) || !isFinite(b) || !isFinite(out)) {
      return [num(a, d), operand(b, d), num(out, d)];
    }
    var sa, sb, so;
    for (var places = d; places <= MAX_DIGITS; places++) {
      sa = num(a, places); sb = num(b, places); so = num(out, places);
      var A = decimal(sa), B = decimal(sb), O = decimal(so);
      if (roundHalfEven(A.n * B.n, A.k + B.k - places) === O.n) { break; }
    }
    sb = trim(sb);
    return [trim(sa), sb[0] === "-" ? "(" + sb + ")" : sb, trim(so)];
  }

  // Python's repr of a float: the shortest digits, exponent form below 1e-4 and from 1e16.
  function pyrepr(x) {
    if (x !== x) { return "nan"; }
    if (x === Infinity) { return "inf"; }
    if (x === -Infinity) { return "-inf"; }
    if (x === 0) { return Object.is(x, -0) ? "-0.0" : "0.0"; }
    var m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
    var sign = m[1], digits = m[2] + (m[3] || ""), exp = parseInt(m[4], 10);
    if (exp >= -4 && exp < 16) {
      if (exp < 0) { return sign + "0." + "0".repeat(-exp - 1) + digits; }
      var whole = digits.slice(0, exp + 1);
      whole += "0".repeat(exp + 1 - whole.length);
      return sign + whole + "." + (digits.slice(exp + 1) || "0");
    }
    var mantissa = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
    var e = Math.abs(exp);
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
  }

  return {num: num, operand: operand, product: product, pyrepr: pyrepr};
})();
