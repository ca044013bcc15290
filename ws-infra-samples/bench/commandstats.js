'use strict';
// Commands per master of a loopback Redis Cluster, from INFO commandstats (run-bench.sh, cluster peers).
//   node commandstats.js reset  <port of any node>                 # CONFIG RESETSTAT on every node
//   node commandstats.js report <port of any node> --out F --label L --clients N --k K --size S --rep R [--room R]
// report appends one JSON line to F: each master's calls since the reset, its share of all masters' calls and its
// busiest commands, and maxShare; it prints one line. The masters are the ones CLUSTER NODES lists now.
const fs = require('fs');
const { execFileSync } = require('child_process');

const [action, seed, ...rest] = process.argv.slice(2);
const opt = { out: '', label: '', clients: 0, k: 0, size: 0, rep: 0, room: '' };
for (let i = 0; i < rest.length; i += 2) {
  const key = rest[i].replace(/^--/, '');
  if (!(key in opt)) { console.error(`unknown option ${rest[i]}`); process.exit(64); }
  opt[key] = typeof opt[key] === 'number' ? Number(rest[i + 1]) : rest[i + 1];
}
if (!['reset', 'report'].includes(action) || !(Number(seed) > 0)) {
  console.error('usage: node commandstats.js reset|report <port> [options]'); process.exit(64);
}

const cli = (port, ...args) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args],
  { timeout: 10000, encoding: 'utf8' });

function nodes() {
  return cli(seed, 'CLUSTER', 'NODES').split('\n').filter((l) => l.trim()).map((line) => {
    const f = line.trim().split(' ');
    const port = Number(f[1].slice(f[1].indexOf(':') + 1, f[1].indexOf('@')));
    let slots = 0;
    for (const r of f.slice(8)) {
      if (r.startsWith('[')) continue;
      const [a, b] = r.split('-').map(Number);
      slots += (b ?? a) - a + 1;
    }
    return { port, master: f[2].includes('master') && !f[2].includes('fail'), slots };
  });
}

if (action === 'reset') {
  for (const n of nodes()) cli(n.port, 'CONFIG', 'RESETSTAT');
  process.exit(0);
}

const masters = nodes().filter((n) => n.master).sort((a, b) => a.port - b.port);
for (const m of masters) {
  m.calls = 0; m.commands = {};
  for (const line of cli(m.port, 'INFO', 'commandstats').split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),/.exec(line.trim());
    if (!match) continue;
    m.calls += Number(match[2]);
    m.commands[match[1]] = Number(match[2]);
  }
}
const total = masters.reduce((t, m) => t + m.calls, 0);
const rows = masters.map((m) => ({
  port: m.port, slots: m.slots, calls: m.calls, share: total ? +(m.calls / total).toFixed(4) : null,
  top: Object.fromEntries(Object.entries(m.commands).sort((a, b) => b[1] - a[1]).slice(0, 5)),
}));
const maxShare = total ? Math.max(...rows.map((r) => r.share)) : null;
const res = { type: 'commandsPerMaster', date: new Date().toISOString(), label: opt.label, clients: opt.clients,
  k: opt.k, size: opt.size, room: opt.room || null, rep: opt.rep, total, maxShare, masters: rows };
if (opt.out) fs.appendFileSync(opt.out, JSON.stringify(res) + '\n');
const pct = (x) => (x == null ? 'n/a' : (100 * x).toFixed(1) + '%');
console.log(`commands per master: ${rows.map((r) => `:${r.port} ${pct(r.share)} (${r.calls})`).join(', ')}; `
  + `max ${pct(maxShare)} of ${total} (target: at most 45%)`);
