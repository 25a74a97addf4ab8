/**
 * How many generated inputs a property case draws in npm test's runs that expect every case to PASS against the
 * reference (test/cli/run.test.ts's default run, test/conformance/reference-passes.test.ts): a few, so npm test
 * stays within its time, since every input is real calls over TLS. Those runs prove the property cases' expectations
 * fit the reference, not that the reference survives a long search; nightly CI searches longer with
 * `GENI_HARNESS_PROPERTY_RUNS=200 npm test`. The runs that prove a fault is caught (fault-sensitivity) keep their
 * own fixed count: the counterexample their seed finds is part of what they prove.
 */
export const PROPERTY_RUNS = propertyRuns(process.env.GENI_HARNESS_PROPERTY_RUNS);

function propertyRuns(text: string | undefined): number {
  if (text === undefined || text === '') return 5;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`GENI_HARNESS_PROPERTY_RUNS must be a positive integer, but is ${JSON.stringify(text)}`);
  return runs;
}
