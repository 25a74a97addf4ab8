/**
 * How fast is validateRSpec (safe parse + XSD + semantic rules + extension scan) compared with plain
 * `xmllint --noout --nonet --schema schemas/xsd/geni3/ad.xsd` on the same synthetic GENI v3
 * advertisements of about 1, 10 and 50 MB? Prints the median of a few runs, the ratio ours/xmllint and
 * this process's peak RSS (xmllint's own RSS is not included).
 *
 *   npx tsx bench/validate-bench.ts [--quick]     (--quick: 1 MB only, one repetition)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_DIRECTORY, serializeAdvertisement, validateRSpec, type AdNode } from '../src/rspec';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One node of a rack-sized advertisement: four interfaces, two hardware and three sliver types. */
function syntheticNode(index: number): AdNode {
  const name = `pc${index}`;
  return {
    componentId: `urn:publicid:IDN+bench.example.net+node+${name}`,
    componentManagerId: 'urn:publicid:IDN+bench.example.net+authority+cm',
    componentName: name,
    exclusive: index % 2 === 0,
    available: index % 3 !== 0,
    sliverTypes: ['raw-pc', 'emulab-xen', 'default-vm'],
    hardwareTypes: ['pc', 'd430'],
    interfaces: [0, 1, 2, 3].map((port) => ({ componentId: `urn:publicid:IDN+bench.example.net+interface+${name}:eth${port}` })),
  };
}

function advertisementOfAbout(bytes: number): string {
  // Per-node cost measured as the growth from 10 to 20 nodes, plus half a link per node.
  const ten = serializeAdvertisement({ type: 'advertisement', nodes: Array.from({ length: 10 }, (_, i) => syntheticNode(i)) }).length;
  const twenty = serializeAdvertisement({ type: 'advertisement', nodes: Array.from({ length: 20 }, (_, i) => syntheticNode(i)) }).length;
  const perNode = (twenty - ten) / 10 + 110;
  const nodeCount = Math.max(1, Math.round(bytes / perNode));
  const nodes = Array.from({ length: nodeCount }, (_, index) => syntheticNode(index));
  const links = Array.from({ length: Math.floor(nodeCount / 2) }, (_, index) => ({
    componentId: `urn:publicid:IDN+bench.example.net+link+link${index}`,
    interfaceRefs: [nodes[2 * index]!.interfaces[0]!.componentId, nodes[2 * index + 1]!.interfaces[0]!.componentId],
  }));
  return serializeAdvertisement({ type: 'advertisement', generated: '2024-01-01T00:00:00Z', nodes, links });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const sizes = quick ? [1] : [1, 10, 50];
  const repetitions = quick ? 1 : 3;
  const schema = path.join(SCHEMA_DIRECTORY, 'geni3/ad.xsd');
  const workDir = mkdtempSync(path.join(tmpdir(), 'validate-bench-'));
  const rows: string[] = [];
  try {
    for (const megabytes of sizes) {
      const file = path.join(workDir, `ad-${megabytes}mb.xml`);
      writeFileSync(file, advertisementOfAbout(megabytes * 1024 * 1024));
      const bytes = readFileSync(file);
      const check = validateRSpec(bytes);
      if (!check.valid) throw new Error(`synthetic ${megabytes} MB advertisement is invalid: ${check.findings[0]?.message}`);
      const ours = median(Array.from({ length: repetitions }, () => timeMs(() => validateRSpec(bytes))));
      const xmllint = median(
        Array.from({ length: repetitions }, () =>
          timeMs(() => execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { cwd: projectRoot, stdio: 'pipe' })),
        ),
      );
      const rssMb = process.resourceUsage().maxRSS / 1024;
      rows.push(
        `| ${(bytes.length / 1024 / 1024).toFixed(1).padStart(7)} | ${ours.toFixed(0).padStart(9)} | ${xmllint.toFixed(0).padStart(11)} | ${(ours / xmllint).toFixed(2).padStart(5)} | ${rssMb.toFixed(0).padStart(13)} |`,
      );
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`validateRSpec vs xmllint --schema geni3/ad.xsd, median of ${repetitions} run(s)`);
  console.log('| size MB | ours (ms) | xmllint(ms) | ratio | peak RSS (MB) |');
  console.log('|--------:|----------:|------------:|------:|--------------:|');
  for (const row of rows) console.log(row);
}

main();
