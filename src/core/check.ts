import type { Finding } from './finding';

/** What a check sees besides the observed value. */
export interface CheckContext {
  /** Default spec anchor for findings that do not name their own (the case's first anchor). */
  spec?: string;
  strict: boolean;
  /**
   * Narrower rule sets the run opted into (`--profile NAME`, PROFILES): findings that only such a profile demands
   * (e.g. a federation's date format) are made only when it is named.
   */
  profiles?: readonly string[];
  /** Say something worth knowing that is not a finding (e.g. extension namespaces no schema validated). */
  note?: (text: string) => void;
  /**
   * When the case must be over (epoch ms), set by the runner from the case's timeout. A check that does long work
   * (RSpec validation in the sandbox) stops by then at the latest.
   */
  deadline?: number;
  /**
   * The answer is a slice manager's merge of several aggregates' answers (suite sm's run of the v3 cases): a check
   * that expects one aggregate's answer judges the merge as that sum, and sets aside what only the slice manager
   * adds (SFA's `<statistics>`, in no namespace and no GENI schema), saying so in its findings and notes.
   */
  mergedBySliceManager?: boolean;
}

/**
 * A check is a small pure function: observed value in, findings out. It never throws for a conformance problem.
 * It lives in core (not in the runner) so that checks of every suite depend on nothing but core.
 */
export type Check<T> = (observed: T, ctx: CheckContext) => Finding[];
