/**
 * The environment facts a program may share with the model through `[env_info] variables`.
 *
 * @module
 */

/**
 * Every variable `[env_info] variables` may name. `python_version` is accepted so that llmproc
 * 0.2.0 programs load unchanged; what the process reports for it is the process's business.
 */
export const ENV_INFO_VARIABLES = [
  'working_directory',
  'platform',
  'date',
  'node_version',
  'hostname',
  'username',
  'python_version',
] as const;

/** One of {@link ENV_INFO_VARIABLES}. */
export type EnvInfoVariable = (typeof ENV_INFO_VARIABLES)[number];
