#!/usr/bin/env node
// The runtime's floor: the simplest plain-Node GET/SET server, for bench/run.mjs
// to measure cachette against ("our overhead" apart from "the runtime's").
//
// Plain `net` sockets, a Map of key -> Buffer, hand-rolled RESP (multibulk
// requests only), and one socket.write per read of each batch's replies. No
// features: no expiry, no stats, no eviction, no checks beyond what parsing
// needs. CONFIG GET <name> answers an empty value (redis-benchmark asks at
// start-up); anything else answers +OK.
//
//   node bench/plain-node-server.mjs <port>

import net from 'node:net';

const port = Number(process.argv[2] ?? 6380);
const db = new Map();
const NIL = Buffer.from('$-1\r\n');

/** Parses an integer from buf[start, end). */
function int(buf, start, end) {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (buf[i] - 48);
  return n;
}

net.createServer({ noDelay: true }, (sock) => {
  let pending = null; // unparsed bytes from the previous read
  sock.on('data', (chunk) => {
    const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    const out = [];
    let pos = 0;
    for (;;) {
      // *<n>\r\n then n times $<len>\r\n<bytes>\r\n
      if (pos >= buf.length || buf[pos] !== 42) break;
      let cr = buf.indexOf(13, pos);
      if (cr === -1) break;
      const n = int(buf, pos + 1, cr);
      let p = cr + 2;
      const args = [];
      for (let i = 0; i < n; i++) {
        cr = p < buf.length ? buf.indexOf(13, p) : -1;
        if (cr === -1) break;
        const len = int(buf, p + 1, cr);
        if (cr + 2 + len + 2 > buf.length) break;
        args.push(buf.subarray(cr + 2, cr + 2 + len));
        p = cr + 2 + len + 2;
      }
      if (args.length < n) break;
      pos = p;
      const cmd = args[0].toString('latin1').toUpperCase();
      if (cmd === 'GET') {
        const v = db.get(args[1].toString('latin1'));
        out.push(v === undefined ? NIL : Buffer.concat([Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]));
      } else if (cmd === 'SET') {
        db.set(args[1].toString('latin1'), Buffer.from(args[2]));
        out.push(Buffer.from('+OK\r\n'));
      } else if (cmd === 'CONFIG' && args.length === 3) {
        // redis-benchmark reads `save` and `appendonly` at start: an empty value each.
        out.push(Buffer.from(`*2\r\n$${args[2].length}\r\n${args[2].toString('latin1')}\r\n$0\r\n\r\n`));
      } else {
        out.push(Buffer.from('+OK\r\n'));
      }
    }
    pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
    if (out.length > 0) sock.write(out.length === 1 ? out[0] : Buffer.concat(out));
  });
  sock.on('error', () => sock.destroy());
}).listen(port, '127.0.0.1');
