// Plain-JavaScript builds of TypeScript entry points, for the paths where loading tsx costs too much: the
// `validate` command (tsx alone takes about half a second to start) and the document sandbox's worker threads
// (which tsx's loader does not reach). The entry is bundled once with esbuild (the project's own sources only;
// packages stay imports) into node_modules/.cache/geni-harness/, and rebuilt whenever one of its source files
// changes (size or mtime), so the build can never be stale.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(projectRoot, 'node_modules', '.cache', 'geni-harness');

function stamp(file) {
  const stats = statSync(file);
  return `${stats.size}:${stats.mtimeMs}`;
}

function isFresh(manifestFile) {
  if (!existsSync(manifestFile)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    return Object.entries(manifest.inputs).every(([file, expected]) => existsSync(path.join(projectRoot, file)) && stamp(path.join(projectRoot, file)) === expected);
  } catch {
    return false;
  }
}

/**
 * esbuild moves every module into one file, so `import.meta.url` would name the bundle: each source keeps its own
 * (src/rspec/schemas.ts finds schemas/ next to itself through it).
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/**
 * The file URL of a plain-JavaScript build of `entry` (a path relative to the project root), building it first
 * when it is missing or stale. Returns undefined when no build can be written (no esbuild, read-only tree): the
 * caller then loads the TypeScript through tsx.
 */
export async function compiledEntry(entry) {
  const name = entry.replace(/[\\/]/g, '__').replace(/\.[cm]?ts$/, '');
  const output = path.join(cacheDir, `${name}.mjs`);
  const manifestFile = path.join(cacheDir, `${name}.json`);
  if (existsSync(output) && isFresh(manifestFile)) return pathToFileURL(output).href;
  try {
    const esbuild = await import('esbuild');
    mkdirSync(cacheDir, { recursive: true });
    const result = await esbuild.build({
      entryPoints: [path.join(projectRoot, entry)],
      absWorkingDir: projectRoot,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [keepModuleUrls],
    });
    // Metafile paths are relative to absWorkingDir, i.e. to the project root.
    const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(path.join(projectRoot, file))]));
    // Written under temporary names then renamed: a concurrent build never leaves a half-written file behind.
    const unique = `${process.pid}-${Date.now()}`;
    writeFileSync(`${output}.${unique}`, result.outputFiles[0].contents);
    writeFileSync(`${manifestFile}.${unique}`, JSON.stringify({ entry, inputs }));
    renameSync(`${output}.${unique}`, output);
    renameSync(`${manifestFile}.${unique}`, manifestFile);
    return pathToFileURL(output).href;
  } catch {
    return undefined;
  }
}
