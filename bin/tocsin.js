#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled build (made by `npm install` through `prepare`).
import('../dist/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    console.error('tocsin: the build is missing; run `npm install` (or `npm run build`) first.');
    process.exit(1);
  }
  throw err;
});
