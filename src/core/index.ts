export * from './errors';
export * from './finding';
export * from './outcome';
export * from './check';
export * from './format';
export * from './redact';
export * from './check-ids';
