// daemon/api/serialization.ts — response serializers compiled on first use. fastify's own
// compiler (fast-json-stringify, through @fastify/fast-json-stringify-compiler, the package
// fastify itself requires) builds each serializer exactly as fastify would; it is loaded
// and run the first time a route answers with a given status, not for every route (and its
// HEAD twin) at start: that took 0.15–0.2 s of CPU at every daemon start (profiled), for
// ~50 response schemas of which a session uses a few. Called by create-api.ts
// (schemaController.compilersFactory); test/daemon/api/serialization.test.ts checks that
// every schema compiles, as the start used to.
import { createRequire } from 'node:module';
import type { FastifySerializerCompiler } from 'fastify';

type Serialize = (data: unknown) => string;
type Compile = (route: Parameters<FastifySerializerCompiler<unknown>>[0]) => Serialize;
type SerializerFactory = (externalSchemas: unknown, serializerOpts: unknown) => Compile;

let compile: Compile | null = null;

/** A route's serializer for one status, compiled now by fastify's default compiler
 *  (resolved from fastify's own dependencies) exactly as fastify would at start. */
export const compileSerializer: Compile = (route) => {
  if (!compile) {
    const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
    const selector = fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory;
    // No shared schemas (the routes never call addSchema) and no serializerOpts: what
    // fastify passes when neither is set.
    compile = selector()({}, undefined);
  }
  return compile(route);
};

/** The serializer compiler of every route: compiles on the first call. */
export const serializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  let serialize: Serialize | null = null;
  return (data: unknown) => (serialize ??= compileSerializer(route))(data);
};
