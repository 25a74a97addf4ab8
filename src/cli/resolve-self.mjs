// A module resolution hook (node:module register): a configuration file anywhere may import 'geni-harness' (for
// defineConfig and the types) and gets this copy of it, installed as a package or run from a clone.
let self;

export function initialize(data) {
  self = data.self;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'geni-harness') return { url: self, shortCircuit: true };
  return nextResolve(specifier, context);
}
