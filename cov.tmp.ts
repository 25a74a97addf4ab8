import { loadCases } from './src/runner/registry';
import { requirementCoverage, casesStricterThanTheirRequirements } from './src/runner/coverage';
const cases = await loadCases();
const r = requirementCoverage(cases);
console.log(JSON.stringify(r.byLevel), r.casesWithoutRequirements.length);
console.log(r.uncovered.map((u) => `${u.level} ${u.id} ${u.reason ? '' : 'NO REASON'}`).join('\n'));
console.log(casesStricterThanTheirRequirements(cases).join('\n'));
