import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headShareFor, secondThreadHelps, validateFiles } from '../../src/cli/validate-files';
import { findSplitPoint } from '../../src/rspec/split';
import { mergeSplit, splitValidation, validateRSpecFile, validateTail } from '../../src/rspec/validate';
import { fixture } from './helpers';

const scratch = mkdtempSync(path.join(tmpdir(), 'rspec-split-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The rack fixture with its nodes and links repeated (renamed per copy): about 25 KB a copy. */
function rackAdvertisement(copies: number): string {
  const source = fixture('ad-rack-extensions.xml');
  const start = source.indexOf('  <node ');
  const end = source.indexOf('  <stitching');
  const body = source.slice(start, end);
  const parts = Array.from({ length: copies }, (_, copy) => body.replace(/\b(switch1|pc1|pc2)\b/g, `$1-${copy}`));
  return source.slice(0, start) + parts.join('') + source.slice(end);
}

/** `text` with `insert` placed after the first start tag of `tag` found past the given fraction of it. */
function insertAfterTag(text: string, fraction: number, tag: string, insert: string): string {
  const at = text.indexOf(`<${tag} `, Math.floor(text.length * fraction));
  const close = text.indexOf('>', at) + 1;
  return text.slice(0, close) + insert + text.slice(close);
}

function write(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

/** Head shares from 0.1 to 0.9: the merged verdict (when there is one) and how many merged. */
function splitVerdicts(file: string): { merged: number; verdicts: unknown[] } {
  const verdicts: unknown[] = [];
  for (let share = 0.1; share < 0.95; share += 0.2) {
    const split = splitValidation(file, {}, { minBytes: 0, headShare: share });
    if (split === undefined) continue;
    const head = split.head();
    const merged = mergeSplit(head, validateTail(split.tail));
    if (merged !== undefined) verdicts.push(merged);
  }
  return { merged: verdicts.length, verdicts };
}

describe('findSplitPoint', () => {
  const document = '<?xml version="1.0"?>\n<!-- a > b -->\n<r:rspec xmlns:r="urn:x" note="a>b">\n  <r:node/>\n\n  <r:node>\n    <r:inner/>\n  </r:node>\n  <r:node/>\n</r:rspec>\n';
  const bytes = Buffer.from(document);

  it('cuts before a child of the root, counting the line breaks it leaves out and naming the end tag', () => {
    const point = findSplitPoint(bytes, document.indexOf('<r:node>'))!;
    expect(document.slice(0, point.rootEnd).endsWith('note="a>b">')).toBe(true);
    expect(document.slice(point.at)).toMatch(/^<r:node>\n/);
    expect(point.lineBreaks).toBe(document.slice(point.rootEnd, point.at).split('\n').length - 1);
    expect(point.closeTag).toBe('</r:rspec>');
    // Past the target the next child at the first child's indentation, never a deeper element.
    expect(document.slice(findSplitPoint(bytes, document.indexOf('<r:inner'))!.at)).toMatch(/^<r:node\/>\n<\/r:rspec>/);
  });

  it('gives up on what it cannot vouch for: a DOCTYPE, UTF-16, a lone carriage return, an empty root, no child past the target', () => {
    expect(findSplitPoint(Buffer.from(`<!DOCTYPE r:rspec>\n${document.slice(22)}`), 10)).toBeUndefined();
    expect(findSplitPoint(Buffer.from(document, 'utf16le'), 10)).toBeUndefined();
    expect(findSplitPoint(Buffer.from(document.replace('\n\n', '\r\r')), document.indexOf('<r:node/>\n</r:rspec>'))).toBeUndefined();
    expect(findSplitPoint(Buffer.from('<rspec type="advertisement"/>'), 0)).toBeUndefined();
    expect(findSplitPoint(bytes, document.indexOf('</r:rspec>'))).toBeUndefined();
  });
});

describe('a large advertisement validated in two parts', () => {
  const base = rackAdvertisement(8);

  it('merges into the whole document\'s verdict, byte for byte: lines, element paths, semantic findings, extension notices', () => {
    const variants = {
      valid: base,
      'ip-addresses': insertAfterTag(insertAfterTag(base, 0.8, 'interface', '\n      <ip address="999.1.1.1" type="ipv4"/>'), 0.2, 'interface', '\n      <ip address="10.0.0.400" type="ipv4"/>'),
      'extension-in-tail': insertAfterTag(base, 0.85, 'node', '\n    <late:info xmlns:late="urn:example:late"/>'),
      'one-line': base.replace(/\n/g, ''),
      'crlf': base.replace(/\n/g, '\r\n'),
      // Lookalikes of a root child inside a comment and a processing instruction: cuts there are refused by the
      // head's parse, cuts elsewhere merge.
      'lookalikes': insertAfterTag(base.replace(/\n {2}<node /g, '\n  <!--\n  <node component_id="in-a-comment"/>\n  -->\n  <node '), 0.5, 'node', '\n    <?note\n  <node component_id="in-a-pi"/>\n  ?>'),
    };
    for (const [name, text] of Object.entries(variants)) {
      const file = write(`${name}.xml`, text);
      const whole = validateRSpecFile(file);
      const { merged, verdicts } = splitVerdicts(file);
      // Lookalikes: some cuts fall inside the comments and are refused, the others merge.
      expect(merged, name).toBeGreaterThan(name === 'lookalikes' ? 0 : 2);
      if (name === 'lookalikes') expect(merged).toBeLessThan(5);
      for (const verdict of verdicts) expect(JSON.stringify(verdict), name).toBe(JSON.stringify(whole));
      if (name === 'ip-addresses') expect(whole.findings.filter((finding) => finding.rule === 'ip-address')).toHaveLength(2);
      if (name === 'extension-in-tail') expect(whole.notValidated).toContain('urn:example:late');
    }
  });

  it('merges nothing when a part reports anything (the document is then validated whole)', () => {
    const variants = {
      'schema-error-in-tail': insertAfterTag(base, 0.9, 'node', '<unexpected/>'),
      'not-well-formed-in-tail': `${base.slice(0, base.lastIndexOf('  <stitching'))}  <node>\n${base.slice(base.lastIndexOf('  <stitching'))}`,
      'a-request': base.replace('type="advertisement"', 'type="request"'),
    };
    for (const [name, text] of Object.entries(variants)) {
      const file = write(`${name}.xml`, text);
      expect(validateRSpecFile(file).valid, name).toBe(false);
      expect(splitVerdicts(file).merged, name).toBe(0);
    }
  });
});

describe('validate on two threads', () => {
  it('gives each file the verdict one thread gives: files shared out, and a lone advertisement in two parts', async () => {
    const files = [
      write('two-threads-valid.xml', rackAdvertisement(12)),
      write('two-threads-ip.xml', insertAfterTag(rackAdvertisement(12), 0.7, 'interface', '\n      <ip address="300.1.1.1" type="ipv4"/>')),
      write('two-threads-invalid.xml', insertAfterTag(rackAdvertisement(12), 0.6, 'node', '<unexpected/>')),
    ];
    const oneThread = files.map((file) => validateRSpecFile(file));
    expect(await validateFiles([...files, ...files], {}, { parallel: true })).toEqual([...oneThread, ...oneThread]);
    for (const [index, file] of files.entries()) {
      expect(await validateFiles([file], {}, { parallel: true, splitMinBytes: 0 })).toEqual([oneThread[index]]);
      // The CLI's way: the last trees are left to the process's end (and the head's freed before a whole validation).
      expect(await validateFiles([file], {}, { parallel: true, splitMinBytes: 0, processEndsAfter: true })).toEqual([oneThread[index]]);
      expect(await validateFiles([file], {}, { parallel: false, processEndsAfter: true })).toEqual([oneThread[index]]);
    }
  });

  it('gives this thread more than half of a split document, the more the smaller it is (the worker starts late)', () => {
    const megabyte = 1024 * 1024;
    expect(headShareFor(50 * megabyte)).toBeCloseTo(0.54, 2);
    expect(headShareFor(10 * megabyte)).toBeCloseTo(0.7, 2);
    expect(headShareFor(6 * megabyte)).toBe(0.8);
    expect(headShareFor(0)).toBe(0.8);
  });

  it('takes the second thread only when a core is free now (other processes\' runnable tasks leave one beside this thread)', () => {
    expect(secondThreadHelps(2, 0)).toBe(true);
    expect(secondThreadHelps(2, 1)).toBe(false);
    expect(secondThreadHelps(4, 2)).toBe(true);
    expect(secondThreadHelps(4, 9)).toBe(false);
    expect(secondThreadHelps(1, 0)).toBe(false);
  });
});
