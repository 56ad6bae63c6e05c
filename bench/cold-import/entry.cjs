// Times `require()` of the specifiers in argv from a CommonJS entry file, the way a CommonJS program
// loads a package (the official SDKs are CommonJS). Prints ms.
const started = performance.now();
for (const specifier of process.argv.slice(2)) require(specifier);
process.stdout.write(`${performance.now() - started}\n`);
