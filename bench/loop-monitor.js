'use strict';
/**
 * Preloaded into the gateway by bench/hostile.js (`node --require`): samples the event loop's
 * delay, and answers the runner over IPC. `reset` starts a new window; `read` sends its maximum
 * and p99 in milliseconds, and `maxCpuMs`: the most CPU time the process used between two ticks
 * of a 1 ms timer. On a shared machine a block's wall time includes the time the process waited
 * for the core; its CPU time does not (the gateway is pinned to one core, so helper threads,
 * garbage collection included, count as they would delay the loop on it).
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
let lastCpu = cpuNow();
let maxCpuMicros = 0;
setInterval(() => {
  const now = cpuNow();
  maxCpuMicros = Math.max(maxCpuMicros, now - lastCpu);
  lastCpu = now;
}, 1).unref();

if (process.send) {
  process.on('message', (message) => {
    if (message === 'reset') {
      histogram.reset();
      maxCpuMicros = 0;
      lastCpu = cpuNow();
      process.send({ reset: true });
    } else if (message === 'read') {
      process.send({
        maxMs: histogram.max / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        maxCpuMs: maxCpuMicros / 1e3,
      });
    }
  });
  // The channel must not keep the gateway alive on its own.
  process.channel.unref();
}
