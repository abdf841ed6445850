// redlock 5's package.json "exports" leave out its types (dist/index.d.ts), so TypeScript cannot find
// them under NodeNext resolution; the test imports the types by path and declares the module here.
declare module 'redlock';
