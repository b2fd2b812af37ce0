// Bundles the CLI into dist/ with one chunk per command, so that each process loads only
// the code its command needs (the engine starts one process per action). The bundle is built
// beside dist/ and swapped in, so a process starting during a build never sees half of one.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));
const staging = `dist.${process.pid}.tmp`;
const retired = `dist.${process.pid}.old`;

try {
  await build({
    // client and config are entry points too, so tests can drive the built client from a
    // plain script in many processes at once (test/e2e).
    entryPoints: {
      main: 'src/cli/main.ts',
      client: 'src/inplanning/client.ts',
      config: 'src/config.ts',
    },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    packages: 'external',
    logLevel: 'warning',
    define: { __VERSION__: JSON.stringify(version) },
  });
  await rename('dist', retired).catch(() => undefined);
  await rename(staging, 'dist');
  await rm(retired, { recursive: true, force: true });
} catch (error) {
  await rm(staging, { recursive: true, force: true });
  throw error;
}
