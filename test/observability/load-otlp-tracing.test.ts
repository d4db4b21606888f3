import { expect } from 'chai';
import { OptionalDependencyError } from '../../lib/errors.js';
import { loadOtlpTracing, missingPackage } from '../../lib/observability/tracing/load-otlp-tracing.js';
import { rejectionOf } from '../support/promises.js';

const notFound = (message: string, code = 'ERR_MODULE_NOT_FOUND') => Object.assign(new Error(message), { code });

describe('loading the OTLP tracing module', () => {
  it('loads the exporter and instrument() when the packages are there', async () => {
    const module = await loadOtlpTracing('--trace');
    expect(module.startOtlpTracing).to.be.a('function');
    expect(module.instrument).to.be.a('function');
  });

  it('turns a missing OpenTelemetry package into an OptionalDependencyError that says what to install', async () => {
    const error = await rejectionOf(
      loadOtlpTracing('--trace', () => Promise.reject(notFound("Cannot find package '@opentelemetry/exporter-trace-otlp-http' imported from /x/otlp-tracing.ts"))),
    );
    expect(error).to.be.instanceOf(OptionalDependencyError);
    expect(error).to.include({
      packageName: '@opentelemetry/exporter-trace-otlp-http',
      feature: '--trace',
      message: '--trace needs the optional package @opentelemetry/exporter-trace-otlp-http, which is not installed: npm install @opentelemetry/exporter-trace-otlp-http',
    });
  });

  it('lets any other failure through as it is', async () => {
    const other = new Error('syntax error somewhere');
    expect(await rejectionOf(loadOtlpTracing('--trace', () => Promise.reject(other)))).to.equal(other);
    const elsewhere = notFound("Cannot find package 'left-pad' imported from /x");
    expect(await rejectionOf(loadOtlpTracing('--trace', () => Promise.reject(elsewhere)))).to.equal(elsewhere);
  });

  it('reads the package from Node’s ESM and CommonJS messages, scoped or not', () => {
    expect(missingPackage(notFound("Cannot find package '@opentelemetry/api' imported from /a.js"))).to.equal('@opentelemetry/api');
    expect(missingPackage(notFound("Cannot find module '@opentelemetry/api/build/x'", 'MODULE_NOT_FOUND'))).to.equal('@opentelemetry/api');
    expect(missingPackage(notFound("Cannot find package 'plain' imported from /a.js"))).to.equal('plain');
    expect(missingPackage(new Error("Cannot find package '@opentelemetry/api'"))).to.equal(undefined);
    expect(missingPackage(undefined)).to.equal(undefined);
  });
});
