/**
 * The Standard Schema and Standard JSON Schema interfaces (`@standard-schema/spec` 1.1.0), copied
 * here as the spec asks implementers to do, so that llmproc depends on no schema library's types.
 * zod 4, valibot 1 and arktype 2 schemas all have the `~standard` property these describe.
 *
 * Copyright (c) 2024 Colin McDonnell; MIT License
 * (https://github.com/standard-schema/standard-schema). Types only: nothing here runs.
 *
 * @module
 */

/** The Standard Typed interface: the base of the other two. */
export interface StandardTypedV1<Input = unknown, Output = Input> {
  /** The Standard properties. */
  readonly '~standard': StandardTypedV1.Props<Input, Output>;
}

/** The members of {@link StandardTypedV1}. */
export declare namespace StandardTypedV1 {
  /** The Standard Typed properties. */
  interface Props<Input = unknown, Output = Input> {
    /** The version number of the standard. */
    readonly version: 1;
    /** The vendor name of the schema library (`zod`, `valibot`, `arktype`, ...). */
    readonly vendor: string;
    /** Inferred types associated with the schema. */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** The input and output types of a schema. */
  interface Types<Input = unknown, Output = Input> {
    /** The input type of the schema. */
    readonly input: Input;
    /** The output type of the schema. */
    readonly output: Output;
  }
  /** The input type of a schema. */
  type InferInput<Schema extends StandardTypedV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** The output type of a schema. */
  type InferOutput<Schema extends StandardTypedV1> = NonNullable<Schema['~standard']['types']>['output'];
}

/** The Standard Schema interface: a schema that validates. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/** The members of {@link StandardSchemaV1}. */
export declare namespace StandardSchemaV1 {
  /** The Standard Schema properties. */
  interface Props<Input = unknown, Output = Input> extends StandardTypedV1.Props<Input, Output> {
    /** Validates an unknown value; may return a promise. */
    readonly validate: (value: unknown, options?: Options | undefined) => Result<Output> | Promise<Result<Output>>;
  }
  /** What `validate` returns. */
  type Result<Output> = SuccessResult<Output> | FailureResult;
  /** The result of a successful validation. */
  interface SuccessResult<Output> {
    /** The typed output value. */
    readonly value: Output;
    /** A falsy value for `issues` indicates success. */
    readonly issues?: undefined;
  }
  /** Options of `validate`. */
  interface Options {
    /** Vendor-specific parameters. */
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
  /** The result of a failed validation. */
  interface FailureResult {
    /** The issues of the failed validation. */
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One issue of a failed validation. */
  interface Issue {
    /** The error message of the issue. */
    readonly message: string;
    /** The path of the issue, if any. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** One segment of an issue's path. */
  interface PathSegment {
    /** The key of this segment. */
    readonly key: PropertyKey;
  }
  /** The input and output types of a schema. */
  type Types<Input = unknown, Output = Input> = StandardTypedV1.Types<Input, Output>;
  /** The input type of a schema. */
  type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
  /** The output type of a schema. */
  type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/** The Standard JSON Schema interface: a schema that can describe itself as JSON Schema. */
export interface StandardJSONSchemaV1<Input = unknown, Output = Input> {
  /** The Standard JSON Schema properties. */
  readonly '~standard': StandardJSONSchemaV1.Props<Input, Output>;
}

/** The members of {@link StandardJSONSchemaV1}. */
export declare namespace StandardJSONSchemaV1 {
  /** The Standard JSON Schema properties. */
  interface Props<Input = unknown, Output = Input> extends StandardTypedV1.Props<Input, Output> {
    /** Generates the JSON Schema of the input or the output type. */
    readonly jsonSchema: Converter;
  }
  /** The JSON Schema converter. */
  interface Converter {
    /** The JSON Schema of the input type. May throw if conversion is not supported. */
    readonly input: (options: Options) => Record<string, unknown>;
    /** The JSON Schema of the output type. May throw if conversion is not supported. */
    readonly output: (options: Options) => Record<string, unknown>;
  }
  /** The JSON Schema version to generate. */
  type Target = 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | ({} & string);
  /** Options of the converter's methods. */
  interface Options {
    /** The JSON Schema version to generate. */
    readonly target: Target;
    /** Vendor-specific parameters. */
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
}
