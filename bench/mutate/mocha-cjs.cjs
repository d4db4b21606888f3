/**
 * Preloaded (`node --require`) into Stryker's own process and its test-runner workers by
 * `npm run mutate`. Stryker's mocha runner (10.1) requires mocha's CLI helpers without an
 * extension (`mocha/lib/cli/run-helpers`, `collect-files`, `options`), which finds the `.js` files
 * of mocha <= 11; mocha 12 ships them as `.cjs`. Letting `require` try `.cjs` as well, as it tries
 * `.js`, `.json` and `.node`, makes those requires find them. Nothing else changes: an
 * extensionless request that resolved before still resolves to the same file.
 */
'use strict';
const Module = require('node:module');

if (!Module._extensions['.cjs']) Module._extensions['.cjs'] = Module._extensions['.js'];
