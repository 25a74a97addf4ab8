import { TARGET_NAME_PATTERN, type HarnessConfig } from '../config';
import { omniAggregate, readOmniConfig } from '../credentials';

/**
 * What an omni_config gives a run (`--omni-config FILE [-a NICK|URL]`): the certificate and key of its default
 * control framework, as shared settings (a setting of the file, the command line or a `targets` entry wins), and the
 * aggregate `-a` names (a nickname of its [aggregate_nicknames] or a URL; without -a, the first of `[omni]
 * aggregates` when nothing else names a target) as the target, labelled with its nickname. Without an omni_config
 * both are returned as they are.
 *
 * Outside a run (`{ run: false }`: cleanup, replay, which know the aggregates they talk to) the identity, and the
 * aggregate only when -a names one, unlabelled.
 */
export function withOmniConfig(file: HarnessConfig, overrides: HarnessConfig, { run = true }: { run?: boolean } = {}): { file: HarnessConfig; overrides: HarnessConfig } {
  const path = overrides.omniConfig ?? file.omniConfig;
  if (path === undefined) return { file, overrides };
  const omni = readOmniConfig(path);
  const set = { ...file, ...overrides };
  const namesTarget = set.target !== undefined || (file.targets?.length ?? 0) > 0;
  const named = run ? overrides.aggregate !== undefined || (set.aggregate !== undefined && set.target === undefined) || !namesTarget : overrides.aggregate !== undefined;
  const aggregate = named ? omniAggregate(omni, set.aggregate) : undefined;
  const label = run && aggregate?.nickname !== undefined && set.targetName === undefined && TARGET_NAME_PATTERN.test(aggregate.nickname) ? { targetName: aggregate.nickname } : {};
  return {
    file: set.cert === undefined && set.key === undefined ? { ...file, cert: omni.framework.cert, key: omni.framework.key } : file,
    overrides: aggregate === undefined ? overrides : { target: aggregate.url, ...label, ...overrides, ...(overrides.aggregate !== undefined && { target: aggregate.url }) },
  };
}
