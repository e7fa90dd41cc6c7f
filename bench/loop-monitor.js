'use strict';
/**
 * Preloaded into the gateway by bench/hostile.js (`node --require`): samples the event loop's
 * delay, and answers the runner over IPC. `reset` starts a new window; `read` sends its maximum
 * and p99 in milliseconds.
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
if (process.send) {
  process.on('message', (message) => {
    if (message === 'reset') {
      histogram.reset();
      process.send({ reset: true });
    } else if (message === 'read') {
      process.send({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 });
    }
  });
  // The channel must not keep the gateway alive on its own.
  process.channel.unref();
}
