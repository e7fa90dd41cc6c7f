'use strict';
/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. BENCH_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" BENCH_TARGETS=gateway node bench/run.js): self time by function and
 * by package or source folder, as shares of the non-idle time.
 *   node bench/profile-summary.js <file.cpuprofile> [top=15] [lastSeconds]
 * lastSeconds: only the samples of the profile's last seconds (the c32 row, without the boot).
 */
const fs = require('node:fs');

const [file, topArg, lastArg] = process.argv.slice(2);
const top = Number(topArg ?? 15);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const from = lastArg === undefined ? -Infinity : profile.endTime - Number(lastArg) * 1e6;
let at = profile.startTime;
profile.samples.forEach((id, index) => {
  at += profile.timeDeltas[index] ?? 0;
  if (at >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);
const functions = new Map();
const places = new Map();
let busy = 0;
let gc = 0;
for (const [id, micros] of self) {
  const { callFrame } = byId.get(id);
  if (callFrame.functionName === '(garbage collector)') gc += micros;
  if (IDLE.has(callFrame.functionName)) continue;
  busy += micros;
  const url = callFrame.url.replace(/^file:\/\//, '');
  const fn = `${callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + micros);
  places.set(placeOf(url), (places.get(placeOf(url)) ?? 0) + micros);
}

function placeOf(url) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(.+)\/[^/]+$/.exec(url) ?? /\/src\/(.+)\/[^/]+$/.exec(url);
  if (own) return `gateway: ${own[1]}`;
  if (url.startsWith('node:') || url === '') return `node core ${url ? '' : '(native)'}`.trim();
  return url;
}

function print(title, map) {
  console.log(`\n${title}`);
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([name, micros]) =>
      console.log(`  ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`),
    );
}

console.log(`busy ${(busy / 1e6).toFixed(2)} s, garbage collector ${((100 * gc) / busy).toFixed(1)}% of busy`);
print('self time by package / source folder', places);
print('self time by function', functions);
