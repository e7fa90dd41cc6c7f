// Jest runs CommonJS in a vm without dynamic import(), which PGlite's emscripten glue needs
// (import('node:module')), so under Jest '@electric-sql/pglite' is mapped to this file, which
// loads the real package through Node's own require (taken from getBuiltinModule because Jest
// replaces the createRequire it hands out). The gateway runs as plain Node and needs none of it.
module.exports = process.getBuiltinModule('node:module').createRequire(__filename)(
  '@electric-sql/pglite',
);
