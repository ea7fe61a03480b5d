// JavaScript twins of engine.gates.SCALAR_FUNCTIONS, the helpers the gate table's formulas call.
// Same names, same branches, same values at ties and zeros; a test checks every helper has one.
"use strict";
var F = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  // Two branches so that exp never overflows, as the Python helper.
  sigmoid: function (a) {
    if (a >= 0) { return 1.0 / (1.0 + Math.exp(-a)); }
    var z = Math.exp(a);
    return z / (1.0 + z);
  },
  relu: function (a) { return a > 0 ? a : 0.0; },
  step: function (a) { return a > 0 ? 1.0 : 0.0; },
  maximum: function (a, b) { return a >= b ? a : b; },
  route: function (a, b) { return a > b ? 1.0 : (a === b ? 0.5 : 0.0); },
  is_int: function (p) { return Number.isInteger(p); },
  inf: Infinity
};
