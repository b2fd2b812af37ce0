// Bundles the CLI into dist/ with one chunk per command, so that each process loads only
// the code its command needs (the engine starts one process per action). Dependencies are
// bundled too: Node then reads a few chunks instead of resolving and loading hundreds of
// package files, which halves the start-up of an action. The bundle is built beside dist/ and
// swapped in, so a process starting during a build never sees half of one.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));
const staging = `dist.${process.pid}.tmp`;
const retired = `dist.${process.pid}.old`;

const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module';\n" +
  'const require = __createRequire(import.meta.url);';

/**
 * zod's namespace export keeps every locale in the bundle (about 60 modules, a third of zod's
 * load time); only the English messages, zod's default, are ever used.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
    }));
  },
};

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
    logLevel: 'warning',
    define: { __VERSION__: JSON.stringify(version) },
    // Bundled CommonJS packages (pino, proper-lockfile) call require() for Node's own
    // modules, which an ES module must get from createRequire.
    banner: { js: REQUIRE_SHIM },
    plugins: [englishOnlyZod],
  });
  await rename('dist', retired).catch(() => undefined);
  await rename(staging, 'dist');
  await rm(retired, { recursive: true, force: true });
} catch (error) {
  await rm(staging, { recursive: true, force: true });
  throw error;
}
