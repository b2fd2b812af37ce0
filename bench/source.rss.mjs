// Preloaded into a benchmarked CLI process (`node --import`): when the process exits it writes
// its peak resident set size (kB) and CPU time (µs) as JSON to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  const cpu = usage.userCPUTime + usage.systemCPUTime;
  writeFileSync(file, JSON.stringify({ maxRSS: usage.maxRSS, cpu }));
});
