/**
 * What a configuration file outside the project imports: `import { defineConfig } from 'geni-harness'` (the
 * package's `exports`; `geni-harness run --config FILE` resolves it from any directory).
 */
export { defineConfig, DEFAULT_CONFIG } from './config';
export type { HarnessConfig, ReferenceSettings, JUnitFlavorSetting } from './config';
