/**
 * Preloaded into the cachette child of the fuzz suite (node --import): the
 * stall watchdog's probe. It samples the event loop's delay
 * (perf_hooks.monitorEventLoopDelay, 10 ms resolution) for the whole life of
 * the process, and on SIGUSR2 writes the longest delay seen to stderr as
 * `event-loop-delay-max-ms=<ms>`. A command that holds the loop for N ms
 * shows as a delay of about N ms.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';

const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.on('SIGUSR2', () => {
  process.stderr.write(`event-loop-delay-max-ms=${(h.max / 1e6).toFixed(1)}\n`);
});
