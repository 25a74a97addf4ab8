/** Signals a body may throw through the context (never constructed by case authors directly). */
export class CaseSignal extends Error {
  constructor(readonly signal: 'unsupported' | 'skip', readonly reason: string) {
    super(reason);
  }
}
