export * from './errors';
export * from './finding';
export * from './outcome';
export * from './format';
export * from './redact';
