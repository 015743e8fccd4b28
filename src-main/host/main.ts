// Browser host entry: serves the renderer and the API on 127.0.0.1.
console.error('browser host: not implemented yet');
process.exit(1);
