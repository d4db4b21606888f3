/**
 * Errors of creating a provider at `program.start()`: its SDK package is not installed, or a
 * setting it needs (a Google Cloud project, a region) is given nowhere.
 *
 * @module
 */
import { LLMProcError } from '../errors.js';

/** The provider's SDK, an optional package, could not be loaded. */
export class MissingProviderPackageError extends LLMProcError {
  /** The provider that needs it (`anthropic_vertex`, ...). */
  readonly provider: string;
  /** The npm package to install. */
  readonly packageName: string;
  /** The command that installs it, e.g. `npm install openai@6`. */
  readonly install: string;
  /**
   * @param context the provider, its package, the install command (default `npm install
   *   <package>`), how messages name the provider ("Claude on Vertex AI") and the import's error
   *   (`cause`).
   */
  constructor(context: { provider: string; packageName: string; label: string; install?: string | undefined; cause: unknown }) {
    const reason = context.cause instanceof Error ? context.cause.message.split('\n')[0] : String(context.cause);
    const install = context.install ?? `npm install ${context.packageName}`;
    super(
      `${context.label} (provider = "${context.provider}") needs the optional package ${context.packageName}, which could not be loaded ` +
        `(${reason}): run \`${install}\`.`,
      { cause: context.cause },
    );
    this.provider = context.provider;
    this.packageName = context.packageName;
    this.install = install;
  }
}

/** What a {@link MissingProviderSettingError} is about, and where it can be set. */
export interface ProviderSettingContext {
  /** The provider that needs it. */
  provider: string;
  /** How messages name the provider ("Claude on Vertex AI"). */
  label: string;
  /** What is missing, in words ("Google Cloud project"). */
  setting: string;
  /** Where a program sets it: `model.project_id` in TOML, `projectId` in code. */
  keyPath: string;
  /** The environment variable read when the program does not set it. */
  variable: string;
  /** The `program.start()` option that sets it. */
  option: string;
  /** The program file, when the program came from one. */
  file: string | undefined;
}

/** `program.start()` found no value for a setting the program's provider needs. */
export class MissingProviderSettingError extends LLMProcError {
  readonly provider: string;
  /** What is missing, in words. */
  readonly setting: string;
  /** Where the program sets it (`model.project_id`, or `projectId` for a program built in code). */
  readonly keyPath: string;
  /** The environment variable that was looked up. */
  readonly variable: string;
  /** The start option that sets it. */
  readonly option: string;
  readonly file: string | undefined;
  constructor(context: ProviderSettingContext) {
    super(
      `${context.file ? `${context.file}: ` : ''}No ${context.setting} for ${context.label}: set ${context.keyPath} in the program, ` +
        `or the ${context.variable} environment variable, or pass \`${context.option}\` to program.start().`,
    );
    this.provider = context.provider;
    this.setting = context.setting;
    this.keyPath = context.keyPath;
    this.variable = context.variable;
    this.option = context.option;
    this.file = context.file;
  }
}
