// The baseline: a bare node:http server answering the same check-in URL with 200 "OK" and no
// work at all. Prints its address as the first line of stdout.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const ok = request.url?.startsWith('/ping/') ?? false;
    response.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
    response.end(ok ? 'OK' : 'not found');
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
