// Python's random.Random(seed).shuffle, exactly: the Mersenne Twister (MT19937) seeded as
// CPython seeds it from an integer (init_by_array over its 32-bit words), getrandbits(k) as the
// top k bits of one 32-bit draw, and shuffle's _randbelow by rejection. fit() shuffles its
// sample order with this generator each epoch, so the page's batches are fit's batches.
"use strict";
function makeRandom(key) {  // key: the seed's 32-bit words, least significant first
  var mt = new Uint32Array(624), idx = 625;
  function initGenrand(s) {
    mt[0] = s >>> 0;
    for (var i = 1; i < 624; i++) {
      var p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, p) + i) >>> 0;
    }
    idx = 624;
  }
  function initByArray(k) {
    initGenrand(19650218);
    var i = 1, j = 0, n, p;
    for (n = Math.max(624, k.length); n > 0; n--) {
      p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(p, 1664525)) + k[j] + j) >>> 0;
      i++; j++;
      if (i >= 624) { mt[0] = mt[623]; i = 1; }
      if (j >= k.length) { j = 0; }
    }
    for (n = 623; n > 0; n--) {
      p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(p, 1566083941)) - i) >>> 0;
      i++;
      if (i >= 624) { mt[0] = mt[623]; i = 1; }
    }
    mt[0] = 0x80000000;
  }
  function next32() {
    var y, k;
    if (idx >= 624) {
      for (k = 0; k < 624; k++) {
        y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ ((y & 1) ? 0x9908b0df : 0);
      }
      idx = 0;
    }
    y = mt[idx++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
  function below(n) {  // random._randbelow_with_getrandbits (n < 2^32 here)
    var bits = 32 - Math.clz32(n), r;
    do { r = next32() >>> (32 - bits); } while (r >= n);
    return r;
  }
  initByArray(key);
  return {
    shuffle: function (x) {
      for (var i = x.length - 1; i > 0; i--) {
        var j = below(i + 1), t = x[i];
        x[i] = x[j]; x[j] = t;
      }
      return x;
    },
    next32: next32
  };
}
