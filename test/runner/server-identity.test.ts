import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/core';
import { initAuthority } from '../../src/credentials';
import { Transcript } from '../../src/client';
import { toAmResponse } from '../../src/geni/methods';
import { personalityNamed, startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { Session, type TargetSpec } from '../../src/runner/session';
import { serverUrnMismatch } from '../../src/runner/server-identity';

/**
 * GENI aggregates often serve their identity certificate: the aggregate's URN and no DNS or IP name. With --ca (no
 * --insecure) the harness verifies its chain and takes the URN as the aggregate's name, which must be the URN the
 * aggregate gives itself in GetVersion. Real TLS on 127.0.0.1 against the reference AM serving such a certificate.
 */
describe('an aggregate whose server certificate names it by URN only', () => {
  const OTHER_AM = 'urn:publicid:IDN+elsewhere.example+authority+am';
  let dir: string;
  let caPath: string;
  let urnOnly: ReferenceAm;
  let impostor: ReferenceAm;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gh-server-urn-'));
    const init = initAuthority(join(dir, 'authority'));
    caPath = init.caCertPath;
    [urnOnly, impostor] = await Promise.all([
      startReferenceAm({ authority: init.authority, serverCertificate: 'urn-only' }),
      startReferenceAm({ authority: init.authority, serverCertificate: 'urn-only', serverCertificateUrn: OTHER_AM }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([urnOnly.close(), impostor.close()]);
  });

  const open = (am: ReferenceAm, extra: Partial<TargetSpec> = {}) => Session.open(
    { name: 'urn-only', url: am.urls['3']!, authorityDir: join(dir, 'authority'), caPaths: [caPath], ...extra },
    { ledgerPath: join(dir, 'ledger.json'), limits: { callTimeoutMs: 20_000, maxResponseBytes: 1 << 22 } },
  );

  it('is verified against --ca alone: GetVersion and a credentialed call succeed, the URN matching GetVersion', async () => {
    const subjectAltName = new X509Certificate(urnOnly.serverCertPem).subjectAltName ?? '';
    expect(subjectAltName).toContain(`URI:${urnOnly.urn}`);
    expect(subjectAltName).not.toMatch(/DNS:|IP Address:/);
    const session = open(urnOnly);
    try {
      const info = await session.versionAt(urnOnly.urls['3']!);
      expect(info.amUrn).toBe(urnOnly.urn);
      expect(session.transport.serverNamesAt(urnOnly.urls['3']!)).toEqual({ hostNames: [], geniUrns: [urnOnly.urn] });
      const res = toAmResponse('ListResources', await session.client(urnOnly.urls['3']!, new Transcript()).call('ListResources', [
        [{ geni_type: 'geni_sfa', geni_version: '3', geni_value: session.userCredentialXml }],
        { geni_rspec_version: { type: 'GENI', version: '3' } },
      ]));
      expect(res.fault).toBeUndefined();
      expect(res.envelope?.geniCode).toBe(0);
    } finally {
      session.close();
    }
  });

  it('is what the v1-sfa personality serves (SFA aggregates serve their GID)', () => {
    expect(personalityNamed('v1-sfa').settings.serverCertificate).toBe('urn-only');
    expect(personalityNamed('reference').settings.serverCertificate).toBeUndefined();
  });

  it('is refused, naming both URNs, when the certificate names another aggregate than its GetVersion does', async () => {
    const session = open(impostor);
    try {
      const err = await session.versionAt(impostor.urls['3']!).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(HarnessError);
      const failure = err as HarnessError;
      expect(failure.origin).toBe('target');
      expect(failure.exchangeIds).toHaveLength(1);
      expect(failure.message).toContain(OTHER_AM);
      expect(failure.message).toContain(`its GetVersion names it ${impostor.urn}`);
      expect(failure.message).toMatch(/no DNS or IP name/);
    } finally {
      session.close();
    }
  });

  it('is refused when the run was told to expect another aggregate, and not compared at all with --insecure', async () => {
    const expecting = open(urnOnly, { amUrn: OTHER_AM });
    const insecure = open(impostor, { insecure: true, caPaths: [] });
    try {
      const err = await expecting.versionAt(urnOnly.urls['3']!).then(() => undefined, (e: unknown) => e);
      expect((err as Error).message).toContain(`the run's configuration names it ${OTHER_AM}`);
      // Nothing of the server was verified: there is no identity to compare (every report says TLS was off).
      expect((await insecure.versionAt(impostor.urls['3']!)).amUrn).toBe(impostor.urn);
    } finally {
      expecting.close();
      insecure.close();
    }
  });
});

describe('serverUrnMismatch', () => {
  const url = 'https://127.0.0.1:4433/am/3';
  const am = 'urn:publicid:IDN+geni-harness.test+authority+am';

  it('compares only a certificate that names no host, and GENI URNs case-insensitively', () => {
    const claimed = [{ urn: 'urn:publicid:IDN+GENI-Harness.test+authority+am', source: 'its GetVersion' }];
    expect(serverUrnMismatch(url, { hostNames: [], geniUrns: [am] }, claimed)).toBeUndefined();
    expect(serverUrnMismatch(url, { hostNames: ['IP Address:127.0.0.1'], geniUrns: ['urn:publicid:IDN+x+authority+am'] }, claimed)).toBeUndefined();
    expect(serverUrnMismatch(url, undefined, claimed)).toBeUndefined();
    // An aggregate whose GetVersion gives no URN: nothing to compare with.
    expect(serverUrnMismatch(url, { hostNames: [], geniUrns: [am] }, [{ urn: undefined, source: 'its GetVersion' }])).toBeUndefined();
    expect(serverUrnMismatch(url, { hostNames: [], geniUrns: ['urn:publicid:IDN+x+authority+am'] }, claimed))
      .toMatch(/^the server certificate at 127\.0\.0\.1:4433 names the aggregate by URN only \(urn:publicid:IDN\+x\+authority\+am; no DNS or IP name\), but its GetVersion names it urn:publicid:IDN\+GENI-Harness\.test\+authority\+am/);
  });
});
