'use strict';
/**
 * The child processes of a run (fake upstreams, floor, gateway): started pinned when pinning is
 * on, polled until ready, and stopped on exit, on SIGINT/SIGTERM, or when the run ends.
 */
const { spawn } = require('node:child_process');
const http = require('node:http');

const { freePort } = require('../free-port');

const { PIN, ROOT, say } = require('./config');

/** @type {Array<{name:string, child:import('node:child_process').ChildProcess, exited:boolean, stderr:string}>} */
const children = [];
let cleaningUp = false;

function start(name, command, args, env) {
  if (PIN) {
    [command, args] = ['taskset', ['-c', name === 'upstream' ? '0' : '1', command, ...args]];
  }
  // stdout is discarded (the gateway logs a JSON line per request at info level; it must be
  // drained, not buffered); stderr is kept (last 8 KiB) to explain a crash.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const entry = { name, child, exited: false, stderr: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    entry.stderr = (entry.stderr + d).slice(-8192);
  });
  child.on('exit', (code, signal) => {
    entry.exited = true;
    entry.exitInfo = signal ? `signal ${signal}` : `code ${code}`;
  });
  child.on('error', (err) => {
    entry.exited = true;
    entry.exitInfo = err.message;
  });
  children.push(entry);
  return entry;
}

function describeDeath(entry) {
  const tail = entry.stderr.trim()
    ? `\n--- ${entry.name} stderr (tail) ---\n${entry.stderr.trim()}`
    : '';
  return `${entry.name} exited (${entry.exitInfo})${tail}`;
}

function httpGet(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Poll until `isReady(status)` for GET url, or fail if the child dies or 30 s pass. */
async function waitReady(entry, url, isReady) {
  const deadline = Date.now() + 30_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (entry.exited) throw new Error(`${describeDeath(entry)}`);
    try {
      const status = await httpGet(url);
      if (isReady(status)) return;
      last = `HTTP ${status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${entry.name} not ready after 30 s at ${url} (last: ${last})`);
}

async function stopChildren() {
  const alive = children.filter((c) => !c.exited);
  await Promise.all(
    alive.map(
      (c) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            c.child.kill('SIGKILL');
            resolve();
          }, 3000);
          c.child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          c.child.kill('SIGTERM');
        }),
    ),
  );
}

/** At the end of the run: stops the children unless a signal handler is already doing it. */
function stopChildrenOnce() {
  if (!cleaningUp) {
    cleaningUp = true;
    return stopChildren();
  }
}

process.on('exit', () => {
  for (const c of children) if (!c.exited) c.child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (cleaningUp) return;
    cleaningUp = true;
    say(`\nbench: ${sig}, stopping children`);
    stopChildren().finally(() => process.exit(130));
  });
}

module.exports = { freePort, start, describeDeath, waitReady, stopChildrenOnce };
