import { describe, expect, it } from 'vitest';
import { SPEC } from '../src/geni/spec-anchors';
import { CHECKED_ANCHORS, anchorsOutsideTheCheckedList, tracAnchor } from '../src/geni/spec-headings';

describe('spec anchors against the checked list (src/geni/spec-headings.ts)', () => {
  it('every anchor SPEC uses is in the checked list of its page', () => {
    expect(anchorsOutsideTheCheckedList(SPEC)).toEqual([]);
  });

  it('fails on an anchor outside the list, on an unlisted page, and accepts a page without fragment (fixture)', () => {
    const fixture = {
      listed: { url: 'https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Allocate' },
      page: { url: 'https://groups.geni.net/geni/wiki/GeniApiIdentifiers' },
      unlisted: { url: 'https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Allocation' },
      'other-page': { url: 'https://groups.geni.net/geni/wiki/GeniApiCertificates#Contents' },
    };
    expect(anchorsOutsideTheCheckedList(fixture)).toEqual(['unlisted', 'other-page']);
  });

  it('lists no anchor that SPEC does not use (a re-pointed anchor leaves the list with its evidence)', () => {
    const used = new Set<string>(Object.values(SPEC).map(({ url }) => url));
    const stale = Object.entries(CHECKED_ANCHORS).flatMap(([page, anchors]) =>
      Object.keys(anchors).map((anchor) => `${page}#${anchor}`)).filter((url) => !used.has(url));
    expect(stale).toEqual([]);
  });

  it('cites a page outside the wiki without a fragment (gitweb anchors lines of one revision, not functions)', () => {
    const offWiki = Object.entries(SPEC).filter(([, { url }]) => !url.startsWith('https://groups.geni.net/geni/wiki/'));
    expect(offWiki.length).toBeGreaterThan(0);
    expect(offWiki.filter(([, { url }]) => url.includes('#')).map(([id]) => id)).toEqual([]);
    expect(offWiki.filter(([, { title }]) => !/, [A-Za-z_]+(\(\))?: /.test(title)).map(([id]) => id)).toEqual([]);
  });

  it('a heading that was seen (on the page or on a copy of its section) gives exactly the anchor listed for it (Trac\'s rule)', () => {
    for (const anchors of Object.values(CHECKED_ANCHORS)) {
      for (const [anchor, evidence] of Object.entries(anchors)) {
        if (evidence.kind === 'heading' || evidence.kind === 'copy-heading') expect(tracAnchor(evidence.heading), evidence.heading).toBe(anchor);
      }
    }
  });

  it('says where every piece of evidence was seen, and tallies as the file comment says (21 heading, 12 link, 11 tool-link, 2 copy-heading)', () => {
    const evidence = Object.values(CHECKED_ANCHORS).flatMap((anchors) => Object.values(anchors));
    expect(evidence.filter((e) => e.seen.trim().length < 20)).toEqual([]);
    const tally: Record<string, number> = {};
    for (const { kind } of evidence) tally[kind] = (tally[kind] ?? 0) + 1;
    expect(tally).toEqual({ heading: 21, link: 12, 'tool-link': 11, 'copy-heading': 2 });
  });

  it('a tool-link names the page#anchor it saw linked, and where', () => {
    for (const [page, anchors] of Object.entries(CHECKED_ANCHORS)) {
      for (const [anchor, evidence] of Object.entries(anchors)) {
        if (evidence.kind !== 'tool-link') continue;
        expect(evidence.seen, `${page}#${anchor}`).toContain(`${page}#${anchor}`);
        expect(evidence.seen.split(`${page}#${anchor}`)[0]?.length, `${page}#${anchor}`).toBeGreaterThan(20);
      }
    }
  });

  it('derives anchors the way Trac does', () => {
    expect(tracAnchor('!GetVersion')).toBe('GetVersion');
    expect(tracAnchor('`geni_end_time`')).toBe('geni_end_time');
    expect(tracAnchor('User login information - Manifest Rspec Extension')).toBe('Userlogininformation-ManifestRspecExtension');
    expect(tracAnchor('Change Set C: UpdateSliver')).toBe('ChangeSetC:UpdateSliver');
    expect(tracAnchor('3. Renew')).toBe('a3.Renew');
    expect(tracAnchor('structs and optional arguments')).toBe('structsandoptionalarguments');
    expect(tracAnchor('!GetVersion Details')).toBe('GetVersionDetails');
  });
});
