// Generates es6-numbers.csv: node es6-numbers.gen.js > es6-numbers.csv
// Generates "ieee754-hex,ECMAScript Number::toString" vectors for the JCS number tests.
let s = 0x9E3779B97F4A7C15n;
const mask = (1n << 64n) - 1n;
function next() { s ^= (s << 13n) & mask; s ^= s >> 7n; s ^= (s << 17n) & mask; return s & mask; }
const buf = new DataView(new ArrayBuffer(8));
function fromBits(b) { buf.setBigUint64(0, b); return buf.getFloat64(0); }
function bits(x) { buf.setFloat64(0, x); return buf.getBigUint64(0); }
const out = new Map();
function add(x) { if (!Number.isFinite(x)) return; out.set(bits(x).toString(16).padStart(16, '0'), String(x)); }
for (let i = 0; i < 1200; i++) add(fromBits(next()));
for (let i = 0; i < 400; i++) { const e = Number(next() % 80n) - 40; add(Number(next() % 1000000n) * Math.pow(10, e)); }
for (let i = 0; i < 300; i++) add(Number(next() % (1n << 53n)) * (i % 2 ? 1 : -1));
for (let e = -1074; e <= 1023; e += 7) { const p = Math.pow(2, e); add(p); add(fromBits(bits(p) + 1n)); if (p > 5e-324) add(fromBits(bits(p) - 1n)); }
for (let e = -324; e <= 308; e += 3) { const p = Number('1e' + e); add(p); add(fromBits(bits(p) + 1n)); add(fromBits(bits(p) - 1n)); }
for (const x of [0.1, 0.2, 0.3, 1/3, 2/3, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, 4.35, 0.000001, 1e-6 - 1e-22]) add(x);
const lines = [...out].map(([h, t]) => h + ',' + t);
process.stdout.write('# ieee754 bits (hex),ECMAScript Number::toString — generated with Node ' + process.version + '\n' + lines.join('\n') + '\n');
