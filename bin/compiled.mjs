// Plain-JavaScript builds of TypeScript entry points, for the paths where loading tsx costs too much: the CLI's
// commands that load no case files (tsx's loader hooks see every module a process imports, vitest's and vite's
// too: a `run` spent about 3 s of CPU in them before its first case), `validate` (tsx alone takes about half a
// second to start) and the document sandbox's worker threads (which tsx's loader does not reach). The entry is
// bundled with esbuild (the project's own sources only; packages stay imports) into node_modules/.cache/geni-harness/,
// and rebuilt whenever one of its source files changes (size or mtime), so the build can never be stale.
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

/** Writes `contents` under `file` whole or not at all (a concurrent build never leaves a half-written file behind). */
function publish(file, contents) {
  const scratch = `${file}.${process.pid}-${Date.now()}`;
  writeFileSync(scratch, contents);
  renameSync(scratch, file);
}

/** What every build here shares: the project's own sources bundled for Node as ESM, packages left as imports. */
function bundleOptions(entry) {
  return {
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
  };
}

/** The stamp of every source a build read (metafile paths are relative to absWorkingDir, the project root). */
function inputStamps(result) {
  return Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(path.join(projectRoot, file))]));
}

/**
 * The file URL of a plain-JavaScript build of `entry` (a path relative to the project root), building it first
 * when it is missing or stale. Returns undefined when no build can be written (no esbuild, read-only tree): the
 * caller then loads the TypeScript through tsx.
 *
 * With `{ split: true }` the modules the entry imports lazily (`await import('./x')`) stay separate files, loaded
 * only when asked for (the CLI's commands: a run against a remote aggregate never loads the reference AM). Every
 * file of a split build is named by a hash of its content and never rewritten, so a process that loads a lazy
 * part late still finds it after a rebuild; the manifest names the entry file of the current build.
 */
export async function compiledEntry(entry, options = {}) {
  const name = entry.replace(/[\\/]/g, '__').replace(/\.[cm]?ts$/, '');
  const manifestFile = path.join(cacheDir, `${name}.json`);
  if (options.split) return splitBuild(entry, name, manifestFile);
  const output = path.join(cacheDir, `${name}.mjs`);
  if (existsSync(output) && isFresh(manifestFile)) return pathToFileURL(output).href;
  try {
    const esbuild = await import('esbuild');
    mkdirSync(cacheDir, { recursive: true });
    const result = await esbuild.build(bundleOptions(entry));
    publish(output, result.outputFiles[0].contents);
    publish(manifestFile, JSON.stringify({ entry, inputs: inputStamps(result) }));
    return pathToFileURL(output).href;
  } catch {
    return undefined;
  }
}

async function splitBuild(entry, name, manifestFile) {
  try {
    if (isFresh(manifestFile)) {
      const { output } = JSON.parse(readFileSync(manifestFile, 'utf8'));
      if (typeof output === 'string' && existsSync(path.join(cacheDir, output))) return pathToFileURL(path.join(cacheDir, output)).href;
    }
  } catch {
    // rebuilt below
  }
  try {
    const esbuild = await import('esbuild');
    const outdir = path.join(cacheDir, name);
    mkdirSync(outdir, { recursive: true });
    const result = await esbuild.build({
      ...bundleOptions(entry),
      splitting: true,
      outdir,
      entryNames: '[name]-[hash]',
      chunkNames: '[name]-[hash]',
      outExtension: { '.js': '.mjs' },
    });
    for (const file of result.outputFiles) {
      if (!existsSync(file.path)) publish(file.path, file.contents);
    }
    // Each lazily imported module is an entry point of the build too: the entry's output is the one named by it.
    const output = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry)?.[0];
    if (output === undefined) return undefined;
    const outputFromCache = path.relative(cacheDir, path.join(projectRoot, output));
    publish(manifestFile, JSON.stringify({ entry, output: outputFromCache, inputs: inputStamps(result) }));
    return pathToFileURL(path.join(cacheDir, outputFromCache)).href;
  } catch {
    return undefined;
  }
}
