/**
 * The hostile aggregate as a process, for tools outside test/ that must not import it (bench/hostile-rss.ts):
 * `tsx test/helpers/serve-hostile.ts DIR [getVersion=MODE] [calls=MODE]` prints one JSON line
 * {url, authorityDir} once it listens, and stops when its standard input closes.
 */
import { startHostileAggregate, type HostileCallMode, type HostileVersionMode } from './hostile-aggregate';

const [dir, ...settings] = process.argv.slice(2);
if (!dir) throw new Error('usage: serve-hostile.ts DIR [getVersion=MODE] [calls=MODE]');
const modes = Object.fromEntries(settings.map((s) => s.split('=', 2))) as { getVersion?: HostileVersionMode; calls?: HostileCallMode };
const aggregate = await startHostileAggregate(dir, modes);
process.stdout.write(`${JSON.stringify({ url: aggregate.url, authorityDir: aggregate.authorityDir })}\n`);
process.stdin.resume();
process.stdin.on('end', () => { void aggregate.close(); });
