/**
 * The error of a provider whose SDK, an optional peer dependency, is not installed.
 *
 * @module
 */
import { LLMProcError } from '../../errors.js';

/**
 * A program's provider needs a package that is not installed (an optional peer dependency of
 * llmproc, such as `openai` for `provider = "openai"`). The message says how to install it.
 */
export class MissingProviderPackageError extends LLMProcError {
  /** The provider that needs the package. */
  readonly provider: string;
  /** The package to install. */
  readonly packageName: string;
  /** The command that installs it, e.g. `npm install openai@6`. */
  readonly install: string;
  constructor(context: { provider: string; packageName: string; install: string; cause?: unknown }) {
    super(`provider ${context.provider} needs the ${context.packageName} package: ${context.install}`, { cause: context.cause });
    this.provider = context.provider;
    this.packageName = context.packageName;
    this.install = context.install;
  }
}
