// Times `import()` of the specifiers in argv from an ES module entry file, the way an ESM program loads
// a package: the loader is already running, so the figure is the package's own cost. Prints ms.
const started = performance.now();
for (const specifier of process.argv.slice(2)) await import(specifier);
process.stdout.write(`${performance.now() - started}\n`);
