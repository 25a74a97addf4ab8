import { TARGET_NAME_PATTERN, type HarnessConfig, type SliceAuthoritySettings } from '../config';
import { omniAggregate, readOmniConfig, type OmniConfig } from '../credentials';
import { makeUrn } from '../geni/urn';

/**
 * The slice authority of a chapi framework (`sa`, with `ma` for the user credential and `authority` +
 * `default_project` for the project new slices go in), where a run without a test authority makes its own slices.
 * Other frameworks: none (gcf's clearinghouse and SFA registries speak other APIs).
 */
export function omniSliceAuthority(omni: OmniConfig): SliceAuthoritySettings | undefined {
  const { framework } = omni;
  if (framework.type !== 'chapi' || framework.sliceAuthorityUrl === undefined) return undefined;
  const project = framework.defaultProject !== undefined && framework.authority !== undefined ? makeUrn(framework.authority, 'project', framework.defaultProject) : undefined;
  return {
    url: framework.sliceAuthorityUrl,
    ...(framework.memberAuthorityUrl !== undefined && { memberAuthorityUrl: framework.memberAuthorityUrl }),
    ...(project !== undefined && { projectUrn: project }),
  };
}

/**
 * What an omni_config gives a run (`--omni-config FILE [-a NICK|URL]`): the certificate and key of its default
 * control framework, as shared settings (a setting of the file, the command line or a `targets` entry wins), and the
 * aggregate `-a` names (a nickname of its [aggregate_nicknames] or a URL; without -a, the first of `[omni]
 * aggregates` when nothing else names a target) as the target, labelled with its nickname. Without an omni_config
 * both are returned as they are.
 *
 * A chapi framework's slice authority becomes the run's (sliceAuthority), unless the settings name a test authority
 * or a slice authority of their own.
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
  const sliceAuthority = set.authorityDir === undefined && set.sliceAuthority === undefined ? omniSliceAuthority(omni) : undefined;
  const identity = set.cert === undefined && set.key === undefined ? { ...file, cert: omni.framework.cert, key: omni.framework.key } : file;
  return {
    file: sliceAuthority === undefined ? identity : { ...identity, sliceAuthority },
    overrides: aggregate === undefined ? overrides : { target: aggregate.url, ...label, ...overrides, ...(overrides.aggregate !== undefined && { target: aggregate.url }) },
  };
}
