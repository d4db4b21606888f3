/**
 * Where Claude on Vertex runs: the Google Cloud project and the region, each from the start
 * options, else the program (`[model] project_id`, `region`), else the environment
 * (`ANTHROPIC_VERTEX_PROJECT_ID`, `CLOUD_ML_REGION`, the variables the Vertex SDK reads).
 *
 * @module
 */
import type { ProviderContext } from '../provider-definition.js';
import { MissingProviderSettingError } from '../provider-errors.js';

/** How errors name the provider. */
export const VERTEX_LABEL = 'Claude on Vertex AI';

/** The variable holding the project. */
export const PROJECT_VARIABLE = 'ANTHROPIC_VERTEX_PROJECT_ID';

/** The variable holding the region. */
export const REGION_VARIABLE = 'CLOUD_ML_REGION';

/** The project and region of a Claude on Vertex program. */
export interface VertexSettings {
  projectId: string;
  region: string;
}

/** One setting, by its names in each place it may be set. */
interface SettingNames {
  setting: string;
  option: 'projectId' | 'region';
  tomlKey: string;
  variable: string;
}

const PROJECT: SettingNames = { setting: 'Google Cloud project', option: 'projectId', tomlKey: 'model.project_id', variable: PROJECT_VARIABLE };
const REGION: SettingNames = { setting: 'region', option: 'region', tomlKey: 'model.region', variable: REGION_VARIABLE };

function resolve(context: Pick<ProviderContext, 'endpoint' | 'options' | 'env' | 'file'>, names: SettingNames): string {
  const value = context.options[names.option] || context.endpoint[names.option] || context.env[names.variable];
  if (value) return value;
  throw new MissingProviderSettingError({
    provider: 'anthropic_vertex',
    label: VERTEX_LABEL,
    setting: names.setting,
    // A program built in code sets it as an option of new LLMProgram().
    keyPath: context.file === undefined ? names.option : names.tomlKey,
    variable: names.variable,
    option: names.option,
    file: context.file,
  });
}

/**
 * The project and region for `context`. The region is required, as the Vertex SDK requires it
 * (llmproc 0.2.0 fell back to `us-central1`, where few Claude models are served).
 *
 * @throws {MissingProviderSettingError} naming the program key, the variable and the start option
 * of the first one missing.
 */
export function vertexSettings(context: Pick<ProviderContext, 'endpoint' | 'options' | 'env' | 'file'>): VertexSettings {
  return { projectId: resolve(context, PROJECT), region: resolve(context, REGION) };
}
