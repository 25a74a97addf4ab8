/**
 * A value a negative generator produced, with the rule it breaks. `reason` is a stable kebab-case name a test can
 * switch on; `description` says the same for a report.
 */
export interface InvalidValue<Reason extends string> {
  value: string;
  reason: Reason;
  description: string;
}
