'use strict';
// Fan-out bench load generator. Loopback only, bounded in count and time.
//
//   node loadgen.js --url ws://127.0.0.1:8081/ws/bench --mode ws --clients 1000 --k 200 --size 100 --pid <server pid>
//
// Modes (how a client speaks to the peer):
//   ws        raw WebSocket, JSON text frames (ws peer, Spring raw peer)
//   sio-lite  Engine.IO v4 / Socket.IO v5 wire protocol spoken directly over `ws` (same per-message client cost as `ws`)
//   sio       the real socket.io-client library (heavier client; cross-check)
//   stomp     STOMP 1.2 over raw WebSocket (Spring SimpleBroker peer); SUBSCRIBE /topic/bench or /topic/room.<room>
//
// Phases: warm-up rounds (connect W clients, fan out, close) -> baseline RSS -> connect N clients (connect rate)
// -> settle -> RSS (memory per connection) -> readiness probe (fanout count=1, every client must get it)
// -> measured fanout of K messages of S pad bytes -> deliveries/s, latency p50/p99 (ts -> receipt) -> close.
// ts is CLOCK_MONOTONIC nanoseconds (Node process.hrtime / Java System.nanoTime share that clock on Linux).

const fs = require('fs');
const { WebSocket } = require('ws');

// ---------- args ----------
const argv = process.argv.slice(2);
const opt = {
  url: 'ws://127.0.0.1:8081/ws/bench', mode: 'ws', clients: 1000, k: 200, size: 100,
  room: null, roomClients: 0, pid: "", concurrency: 100, warmupClients: 200, warmupK: 200, warmupRounds: 2,
  extraPids: '', intervalMs: 0, settleMs: 1000, timeout: 180, phaseTimeout: 60, label: '', out: '', quiet: false,
  stalled: 0,
};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--')) continue;
  const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (!(key in opt)) { console.error(`unknown option ${a}`); process.exit(64); }
  if (typeof opt[key] === 'boolean') { opt[key] = true; continue; }
  const v = argv[++i];
  opt[key] = typeof opt[key] === 'number' ? Number(v) : v;
}
if (opt.room === 'null' || opt.room === '') opt.room = null;
const MAX_CLIENTS = 20000, MAX_K = 100000;
if (!(opt.clients > 0 && opt.clients <= MAX_CLIENTS)) { console.error(`--clients must be 1..${MAX_CLIENTS}`); process.exit(64); }
if (!(opt.k > 0 && opt.k <= MAX_K)) { console.error(`--k must be 1..${MAX_K}`); process.exit(64); }
const target = new URL(String(opt.url).split(',')[0]);
for (const u of String(opt.url).split(',')) {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(new URL(u).hostname)) {
    console.error('refusing: loopback targets only (127.0.0.0/8, localhost, [::1])'); process.exit(64);
  }
}
const log = (...a) => { if (!opt.quiet) console.error(`[loadgen ${opt.label || opt.mode}]`, ...a); };

// Hard global deadline: whatever happens, the process ends.
const hardTimer = setTimeout(() => {
  console.error(`[loadgen] HARD TIMEOUT after ${opt.timeout}s`);
  emit({ ...partial, error: 'hard-timeout' });
  process.exit(2);
}, opt.timeout * 1000);

const nowNs = () => Number(process.hrtime.bigint());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`timeout: ${what} (${ms} ms)`)), ms); })])
    .finally(() => clearTimeout(t));
}
function rssKb(pid) {
  if (typeof pid === 'string' || Array.isArray(pid)) { const l = [].concat(String(pid).split(',')).filter(Boolean).map(Number); if (l.length > 1) { let t = 0; for (const p of l) { const v = rssKb(p); if (v == null) return null; t += v; } return t; } pid = l[0]; }
  if (!pid) return null;
  try { const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8')); return m ? Number(m[1]) : null; } catch { return null; }
}
// JVM peers: live heap after a full GC (jcmd GC.run + GC.heap_info), a steadier per-connection figure than RSS
// (HotSpot keeps RSS after heap growth). Returns KB, or null for non-JVM servers / no jcmd.
const { execFileSync } = require('child_process');
function isJvm(pid) { try { return /java/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')); } catch { return false; } }
function jvmLiveHeapKb(pids) {
  let total = 0;
  for (const pid of pids) {
    if (!isJvm(pid)) return null;
    try {
      execFileSync('jcmd', [String(pid), 'GC.run'], { timeout: 20000, stdio: 'ignore' });
      const out = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { timeout: 20000 }).toString();
      // the heap's generations or regions, as each collector prints them (G1: one line;
      // Serial and Parallel: young and old), without Metaspace
      const used = [...out.matchAll(/total\s+\d+K,\s+used\s+(\d+)K/g)].map((m) => Number(m[1]));
      if (used.length === 0) return null;
      total += used.reduce((a, b) => a + b, 0);
    } catch { return null; }
  }
  return total;
}
function sysBusySec() { // whole-machine busy CPU seconds (all cores), from /proc/stat
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return (total - f[3] - (f[4] || 0)) / 100;
  } catch { return null; }
}
// CPU seconds per process for every user-space process (kernel threads have an empty cmdline and are skipped;
// ksoftirqd is reported separately because loopback traffic itself lands there).
function procCpuSnapshot() {
  const snap = new Map();
  let softirq = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / 100;
      if (name.startsWith('ksoftirqd')) { softirq += cpu; continue; }
      if (fs.readFileSync(`/proc/${d}/cmdline`).length === 0) continue; // kernel thread
      snap.set(Number(d), { cpu, name });
    } catch { /* process vanished */ }
  }
  return { snap, softirq };
}
function otherCpu(a, b, exclude) {
  let other = 0; const top = [];
  for (const [pid, v] of b.snap) {
    if (exclude.has(pid)) continue;
    const d = v.cpu - (a.snap.get(pid)?.cpu ?? 0);
    if (d > 0) { other += d; top.push([v.name, d]); }
  }
  top.sort((x, y) => y[1] - x[1]);
  return { other, softirq: b.softirq - a.softirq, top: top.slice(0, 3).map(([n, d]) => `${n}:${d.toFixed(2)}`).join(',') };
}
function cpuSec(pid) { // utime+stime of the server process(es)
  if (typeof pid === 'string' || Array.isArray(pid)) { const l = [].concat(String(pid).split(',')).filter(Boolean).map(Number); if (l.length > 1) { let t = 0; for (const p of l) { const v = cpuSec(p); if (v == null) return null; t += v; } return t; } pid = l[0]; }
  if (!pid) return null;
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks (USER_HZ = 100)
  } catch { return null; }
}

// ---------- receive accounting (shared by all clients) ----------
const TS_KEY = Buffer.from('"ts":');
const acct = { expected: 0, got: 0, lat: null, nLat: 0, perClient: null, tLast: 0, tFirst: 0, done: null, neg: 0,
  ready: 0, readyTarget: -1, readyDone: null };
function resetAcct(expected, nClients, keepLat) {
  acct.ready = 0; acct.readyTarget = -1; acct.readyDone = null;
  acct.expected = expected; acct.got = 0; acct.nLat = 0; acct.tLast = 0; acct.tFirst = 0; acct.neg = 0;
  acct.lat = keepLat ? new Float64Array(expected) : null; acct.spans = new Map();
  acct.perClient = new Int32Array(nClients);
  return new Promise((res) => { acct.done = res; });
}
const stalledIdx = new Set(); // clients that stopped reading: their deliveries are not counted
function onBench(idx, ts, tRecv) {
  if (stalledIdx.has(idx)) return;
  const lat = tRecv - ts;
  if (lat < 0) acct.neg++;
  if (acct.lat && acct.nLat < acct.lat.length) {
    acct.lat[acct.nLat++] = lat;
    // per message (its ts is unique): when its first and its last copy arrived
    const m = acct.spans.get(ts);
    if (m) m.last = lat; else acct.spans.set(ts, { first: lat, last: lat });
  }
  if (acct.perClient && acct.perClient[idx]++ === 0 && acct.readyDone && ++acct.ready === acct.readyTarget) {
    const d = acct.readyDone; acct.readyDone = null; d();
  }
  if (acct.got === 0) acct.tFirst = tRecv;
  acct.got++;
  acct.tLast = tRecv;
  if (acct.got === acct.expected && acct.done) { const d = acct.done; acct.done = null; d(); }
}
// parse the integer after "ts": directly from the frame bytes (no JSON.parse on the hot path)
function tsFromBuf(buf) {
  const i = buf.indexOf(TS_KEY);
  if (i < 0) return -1;
  let j = i + 5, ts = 0;
  while (j < buf.length && buf[j] === 32) j++;
  for (; j < buf.length; j++) { const ch = buf[j]; if (ch < 48 || ch > 57) break; ts = ts * 10 + (ch - 48); }
  return ts;
}

// ---------- client implementations ----------
const URLS = String(opt.url).split(',');
const EXTRA_PIDS = String(opt.extraPids || '').split(',').filter(Boolean).map(Number); // e.g. redis-server: counted as "infra", not noise
const PIDS = String(opt.pid || '').split(',').filter(Boolean).map(Number);
function urlFor(room, idx = 0) {
  const u = new URL(URLS[idx % URLS.length]);
  if (opt.mode === 'sio-lite') { u.pathname = u.pathname.replace(/\/?$/, '/'); u.searchParams.set('EIO', '4'); u.searchParams.set('transport', 'websocket'); }
  if (room && opt.mode !== 'stomp') u.searchParams.set('room', room);
  return u.toString();
}
function fanoutCmd(count, size, room, intervalMs) {
  const c = { type: 'fanout', count, size, room: room ?? null };
  if (intervalMs > 0) c.intervalMs = intervalMs;   // paced mode (optional protocol extension)
  return c;
}

function openWs(idx, room) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(urlFor(room, idx), { perMessageDeflate: false, handshakeTimeout: 10000 });
    const c = {
      idx, ws,
      fanout: (cmd) => ws.send(JSON.stringify(cmd)),
      close: () => closeWs(ws),
    };
    ws.on('message', (data) => { const t = nowNs(); const ts = tsFromBuf(data); if (ts >= 0) onBench(c.idx, ts, t); });
    ws.once('open', () => resolve(c));
    ws.on('error', (e) => reject(e));
  });
}
function closeWs(ws) {
  return new Promise((res) => {
    if (ws.readyState === WebSocket.CLOSED) return res();
    const t = setTimeout(() => { try { ws.terminate(); } catch {} res(); }, 3000);
    ws.once('close', () => { clearTimeout(t); res(); });
    try { ws.close(); } catch { clearTimeout(t); res(); }
  });
}

function openSioLite(idx, room) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(urlFor(room, idx), { perMessageDeflate: false, handshakeTimeout: 10000 });
    const c = {
      idx, ws,
      fanout: (cmd) => ws.send('42' + JSON.stringify(['fanout', cmd])),
      close: () => closeWs(ws),
    };
    let connected = false;
    ws.on('message', (data) => {
      const t = nowNs();
      const b0 = data[0], b1 = data[1];
      if (b0 === 52 /*4*/ && b1 === 50 /*2*/) { const ts = tsFromBuf(data); if (ts >= 0) onBench(c.idx, ts, t); return; }
      if (b0 === 50 /*2 ping*/ && data.length === 1) { ws.send('3'); return; }
      if (b0 === 48 /*0 open*/) { ws.send('40'); return; }
      if (b0 === 52 && b1 === 48 /*40 connect ack*/ && !connected) { connected = true; resolve(c); return; }
      if (b0 === 52 && b1 === 52 /*44 connect error*/) reject(new Error('sio connect_error ' + data.toString()));
    });
    ws.on('error', (e) => reject(e));
  });
}

let ioLib = null;
function openSio(idx, room) {
  ioLib = ioLib || require('socket.io-client').io;
  return new Promise((resolve, reject) => {
    const u = new URL(URLS[idx % URLS.length]);
    const s = ioLib(`http://${u.host}`, {
      path: u.pathname, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10000,
      query: room ? { room } : {}, perMessageDeflate: false,
    });
    const c = {
      idx, s,
      fanout: (cmd) => s.emit('fanout', cmd),
      close: () => new Promise((res) => { s.disconnect(); res(); }),
    };
    s.on('bench', (m) => { onBench(c.idx, m.ts, nowNs()); });
    s.once('connect', () => resolve(c));
    s.once('connect_error', (e) => reject(e));
  });
}

function openStomp(idx, room) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(urlFor(null, idx), { perMessageDeflate: false, handshakeTimeout: 10000 });
    const dest = room ? `/topic/room.${room}` : '/topic/bench';
    const c = {
      idx, ws,
      fanout: (cmd) => ws.send(`SEND\ndestination:/app/fanout\ncontent-type:application/json\n\n${JSON.stringify(cmd)}\0`),
      close: () => closeWs(ws),
    };
    let connected = false;
    ws.on('message', (data) => {
      const t = nowNs();
      if (connected) { const ts = tsFromBuf(data); if (ts >= 0) onBench(c.idx, ts, t); return; }
      const s = data.toString();
      if (s.startsWith('CONNECTED')) {
        connected = true;
        ws.send(`SUBSCRIBE\nid:sub-0\ndestination:${dest}\n\n\0`);
        resolve(c);
      } else if (s.startsWith('ERROR')) reject(new Error('stomp ' + s));
    });
    ws.once('open', () => ws.send(`CONNECT\naccept-version:1.2\nhost:${target.hostname}\nheart-beat:0,0\n\n\0`));
    ws.on('error', (e) => reject(e));
  });
}

const OPEN = { ws: openWs, 'sio-lite': openSioLite, sio: openSio, stomp: openStomp }[opt.mode];
if (!OPEN) { console.error(`unknown --mode ${opt.mode}`); process.exit(64); }

// ---------- phases ----------
async function connectAll(n, roomClients, room) {
  const clients = new Array(n);
  let next = 0, failed = 0;
  const t0 = nowNs();
  async function worker() {
    while (next < n) {
      const i = next++;
      try { clients[i] = await withTimeout(OPEN(i, i < roomClients ? room : null), 15000, `connect #${i}`); }
      catch (e) { failed++; if (failed <= 3) log(`connect #${i} failed: ${e.message}`); }
    }
  }
  await withTimeout(Promise.all(Array.from({ length: Math.min(opt.concurrency, n) }, worker)), opt.phaseTimeout * 1000, 'connect phase');
  const sec = (nowNs() - t0) / 1e9;
  return { clients, failed, sec };
}
async function closeAll(clients) {
  await withTimeout(Promise.all(clients.filter(Boolean).map((c) => c.close())), 20000, 'close phase').catch((e) => log(e.message));
}
function pct(sorted, p) { if (!sorted.length) return null; return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))]; }

// medians over the messages of when their first and their last copy arrived: how late a fan-out starts and ends
function spanStats(spans) {
  if (!spans || !spans.size) return {};
  const messages = [...spans.values()];
  const firsts = Float64Array.from(messages, (m) => m.first).sort();
  const lasts = Float64Array.from(messages, (m) => m.last).sort();
  const ms = (x) => +(x / 1e6).toFixed(2);
  return { fanoutFirstP50ms: ms(pct(firsts, 50)), fanoutLastP50ms: ms(pct(lasts, 50)), fanoutLastP90ms: ms(pct(lasts, 90)) };
}
const partial = { label: opt.label, mode: opt.mode, url: opt.url, clients: opt.clients, k: opt.k, size: opt.size };
function emit(res) {
  const line = JSON.stringify(res);
  console.log(line);
  if (opt.out) fs.appendFileSync(opt.out, line + '\n');
}

async function fanoutAndWait(clients, nRecv, count, size, room, keepLat, what, intervalMs = 0) {
  const sender = clients.find(Boolean);
  const p = resetAcct(nRecv * count, clients.length, keepLat);
  const t0 = nowNs();
  sender.fanout(fanoutCmd(count, size, room, intervalMs));
  let complete = true;
  try { await withTimeout(p, opt.phaseTimeout * 1000, what); } catch (e) { complete = false; log(e.message, `got ${acct.got}/${acct.expected}`); }
  return { t0, complete };
}

// Send count=1 probes until every receiver has seen at least one (bounded: 10 tries x 1.5 s).
async function probeUntilReady(clients, nRecv, room) {
  const sender = clients.find(Boolean);
  resetAcct(Number.MAX_SAFE_INTEGER, clients.length, false);
  const ready = new Promise((res) => { acct.readyDone = res; });
  acct.readyTarget = nRecv;
  for (let attempt = 1; attempt <= 10; attempt++) {
    sender.fanout(fanoutCmd(1, 8, room));
    const ok = await withTimeout(ready, 1500, 'probe').then(() => true, () => false);
    if (ok) { await sleep(200); return attempt; }
  }
  log(`readiness probe: only ${acct.ready}/${nRecv} receivers answered after 10 tries`);
  await sleep(200);
  return -1;
}

async function main() {
  const room = opt.room;
  const roomClients = room ? (opt.roomClients > 0 ? Math.min(opt.roomClients, opt.clients) : opt.clients) : 0;
  const nRecv = room ? roomClients : opt.clients;

  // 1. warm-up (JIT in both V8 and HotSpot), then disconnect
  for (let r = 0; r < opt.warmupRounds && opt.warmupClients > 0; r++) {
    const w = await connectAll(opt.warmupClients, 0, null);
    const ok = w.clients.filter(Boolean);
    if (ok.length) {
      await probeUntilReady(w.clients, ok.length, null);
      await fanoutAndWait(w.clients, ok.length, opt.warmupK, opt.size, null, false, 'warm-up fanout');
    }
    await closeAll(w.clients);
    log(`warm-up round ${r + 1}: ${ok.length} clients x ${opt.warmupK}`);
  }
  const heapBase = jvmLiveHeapKb(PIDS);
  await sleep(opt.settleMs);
  const rssBase = rssKb(opt.pid);

  // 2. connect N (connect rate)
  const c = await connectAll(opt.clients, roomClients, room);
  const clients = c.clients;
  const connected = clients.filter(Boolean).length;
  log(`connected ${connected}/${opt.clients} in ${c.sec.toFixed(3)} s (${(connected / c.sec).toFixed(0)}/s), failed ${c.failed}`);
  Object.assign(partial, { connected, connectSec: c.sec, connectRate: connected / c.sec });
  if (connected === 0) throw new Error('no client connected');
  await sleep(opt.settleMs);
  const rssIdle = rssKb(opt.pid);
  const heapIdle = heapBase != null ? jvmLiveHeapKb(PIDS) : null;

  // 3. readiness probe: every receiver must get 1 message (subscriptions registered, rooms joined)
  const expectRecv = room ? clients.slice(0, roomClients).filter(Boolean).length : connected;
  const probeTries = await probeUntilReady(clients, expectRecv, room);

  // 3b. optional: the last --stalled clients stop reading (their TCP socket is paused), like peers that hang;
  // they are left out of the expected deliveries, and what the server did to them is reported afterwards.
  const stalled = [];
  if (opt.stalled > 0) {
    if (opt.mode !== 'ws') throw new Error('--stalled needs --mode ws');
    for (let i = clients.length - 1; i > 0 && stalled.length < opt.stalled; i--) {
      const sc = clients[i];
      if (!sc || (room && i >= roomClients)) continue;
      sc.closeCode = null; sc.afterStall = 0;
      sc.ws.on('close', (code) => { sc.closeCode = code; });
      sc.ws.on('message', () => { sc.afterStall++; });
      sc.ws._socket.pause();
      stalledIdx.add(i);
      stalled.push(sc);
    }
  }
  const measuredRecv = expectRecv - stalled.length;

  // 4. measured fan-out
  const snap0 = procCpuSnapshot();
  const infra0 = EXTRA_PIDS.length ? cpuSec(EXTRA_PIDS.join(',') + ',') : null;
  const cpu0 = cpuSec(opt.pid), lg0 = process.cpuUsage(), sys0 = sysBusySec();
  const m = await fanoutAndWait(clients, measuredRecv, opt.k, opt.size, room, true, 'measured fanout', opt.intervalMs);
  const cpu1 = cpuSec(opt.pid), lg1 = process.cpuUsage(lg0), sys1 = sysBusySec();
  const infra1 = EXTRA_PIDS.length ? cpuSec(EXTRA_PIDS.join(',') + ',') : null;
  const oc = otherCpu(snap0, procCpuSnapshot(), new Set([...PIDS, ...EXTRA_PIDS, process.pid, process.ppid]));
  const rssPeak = rssKb(opt.pid);
  const wallSec = ((acct.tLast || nowNs()) - m.t0) / 1e9;
  const lat = Float64Array.from(acct.lat.subarray(0, acct.nLat)).sort();
  // p99 of each tenth of the deliveries in arrival order: whether the tail is spread over the run or sits in one part of it
  const arrivals = acct.lat.subarray(0, acct.nLat), tenth = Math.floor(arrivals.length / 10);
  const p99ByTenth = tenth > 0 ? Array.from({ length: 10 }, (_, i) => +(pct(Float64Array.from(arrivals.subarray(i * tenth, (i + 1) * tenth)).sort(), 99) / 1e6).toFixed(1)) : [];
  const ms = (x) => (x == null ? null : +(x / 1e6).toFixed(3));
  let short = 0; for (let i = 0; i < acct.perClient.length; i++) if (clients[i] && !stalledIdx.has(i) && (room ? i < roomClients : true) && acct.perClient[i] !== opt.k) short++;
  // Let the stalled clients read again (bounded) and see what the server did: closed them, or kept them.
  let stalledReport = null;
  if (stalled.length) {
    for (const sc of stalled) sc.ws._socket.resume();
    const until = nowNs() + 5e9;
    while (nowNs() < until && stalled.some((sc) => sc.closeCode == null && sc.afterStall < opt.k)) await sleep(100);
    stalledReport = stalled.map((sc) => ({ closeCode: sc.closeCode, received: sc.afterStall }));
  }
  const res = {
    ...partial,
    date: new Date().toISOString(),
    room, intervalMs: opt.intervalMs, receivers: measuredRecv, probeTries, complete: m.complete, clientsShort: short,
    ...(stalledReport ? { stalled: stalledReport } : {}),
    expected: acct.expected, deliveries: acct.got,
    wallSec: +wallSec.toFixed(4),
    deliveriesPerSec: Math.round(acct.got / wallSec),
    firstDeliveryMs: acct.tFirst ? ms(acct.tFirst - m.t0) : null,
    latP50ms: ms(pct(lat, 50)), latP90ms: ms(pct(lat, 90)), latP99ms: ms(pct(lat, 99)), latMaxms: ms(lat[lat.length - 1]), latP99ByTenthMs: p99ByTenth,
    ...spanStats(acct.spans),
    negativeLatencies: acct.neg,
    connectRate: Math.round(connected / c.sec), connectSec: +c.sec.toFixed(3), connectFailed: c.failed,
    rssBaseMB: rssBase && +(rssBase / 1024).toFixed(1), rssIdleMB: rssIdle && +(rssIdle / 1024).toFixed(1), rssAfterMB: rssPeak && +(rssPeak / 1024).toFixed(1),
    rssPerConnKB: rssBase && rssIdle ? +((rssIdle - rssBase) / connected).toFixed(2) : null,
    ...(heapBase != null && heapIdle != null ? {
      jvmLiveHeapBaseMB: +(heapBase / 1024).toFixed(1), jvmLiveHeapIdleMB: +(heapIdle / 1024).toFixed(1),
      jvmHeapPerConnKB: +((heapIdle - heapBase) / connected).toFixed(2) } : {}),
    serverCpuSec: cpu0 != null && cpu1 != null ? +(cpu1 - cpu0).toFixed(2) : null,
    serverCpuUsPerDelivery: cpu0 != null && cpu1 != null && acct.got ? +((cpu1 - cpu0) * 1e6 / acct.got).toFixed(3) : null,
    loadgenCpuSec: +((lg1.user + lg1.system) / 1e6).toFixed(2),
  };
  // CPU used by anything other than this server and this load generator during the measured fan-out
  // (other processes on a shared machine): the noise indicator. Fraction of one core, averaged over the wall time.
  if (infra0 != null && infra1 != null) res.infraCpuSec = +(infra1 - infra0).toFixed(2);
  res.otherCpuSec = +oc.other.toFixed(2);
  res.otherCpuFrac = +(oc.other / wallSec).toFixed(3);
  if (oc.top) res.otherTop = oc.top;
  res.softirqCpuSec = +oc.softirq.toFixed(2);
  if (sys0 != null && sys1 != null) res.machineBusyCores = +(((sys1 - sys0)) / wallSec).toFixed(2);
  // 5. close
  await closeAll(clients);
  emit(res);
}

main().then(() => { clearTimeout(hardTimer); process.exit(0); })
  .catch((e) => { console.error('[loadgen] FAILED:', e.message); emit({ ...partial, error: e.message }); clearTimeout(hardTimer); process.exit(1); });
