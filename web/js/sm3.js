// SM3 (GB/T 32905-2016), the hash the platform names documents by: a use request (用章审批)
// carries SM3 of the document to be signed. Web Crypto has no SM3, so it is computed here.

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

const rotl = (x, n) => ((x << (n & 31)) | (x >>> ((32 - n) & 31))) >>> 0;
const p0 = (x) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const p1 = (x) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;

function compress(v, block, w, w1) {
  for (let j = 0; j < 16; j++) {
    w[j] = ((block[j * 4] << 24) | (block[j * 4 + 1] << 16) | (block[j * 4 + 2] << 8) | block[j * 4 + 3]) >>> 0;
  }
  for (let j = 16; j < 68; j++) {
    w[j] = (p1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6]) >>> 0;
  }
  for (let j = 0; j < 64; j++) w1[j] = (w[j] ^ w[j + 4]) >>> 0;
  let [a, b, c, d, e, f, g, hh] = v;
  for (let j = 0; j < 64; j++) {
    const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
    const ss1 = rotl((rotl(a, 12) + e + rotl(t, j % 32)) >>> 0, 7);
    const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + w1[j]) >>> 0;
    const tt2 = (gg + hh + ss1 + w[j]) >>> 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    hh = g;
    g = rotl(f, 19);
    f = e;
    e = p0(tt2);
  }
  v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= hh;
  for (let i = 0; i < 8; i++) v[i] >>>= 0;
}

// SM3 of bytes (Uint8Array or ArrayBuffer) as 64 lower-case hex digits.
export function sm3Hex(data) {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const v = IV.slice();
  const w = new Uint32Array(68);
  const w1 = new Uint32Array(64);
  const full = Math.floor(bytes.length / 64) * 64;
  for (let off = 0; off < full; off += 64) compress(v, bytes.subarray(off, off + 64), w, w1);
  const rest = bytes.length - full;
  const tailLen = rest + 9 <= 64 ? 64 : 128;
  const tail = new Uint8Array(tailLen);
  tail.set(bytes.subarray(full));
  tail[rest] = 0x80;
  const bits = BigInt(bytes.length) * 8n;
  for (let i = 0; i < 8; i++) tail[tailLen - 1 - i] = Number((bits >> BigInt(8 * i)) & 0xffn);
  for (let off = 0; off < tailLen; off += 64) compress(v, tail.subarray(off, off + 64), w, w1);
  return v.map((x) => x.toString(16).padStart(8, '0')).join('');
}
