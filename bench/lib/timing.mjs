// Timing helpers of the benchmarks.
import { performance } from "node:perf_hooks";

/** The middle value (the upper one of an even count), without reordering `samples`. */
export const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

/** The median of `runs` timings of `fn(i)` in milliseconds, after `warmup` untimed calls. */
export async function time(fn, runs = 20, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i + warmup);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}
