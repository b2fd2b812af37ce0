// Preloaded into a benchmarked CLI process (`node --import`): when the process exits it writes
// its peak resident set size in kilobytes to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
