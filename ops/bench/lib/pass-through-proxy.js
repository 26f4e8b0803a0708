// A plain Node.js pass-through proxy to 127.0.0.1:<target> (node:http server, keep-alive client, nothing
// else) that counts the requests it forwards. Required, it runs in the benchmark's own process
// (bench:watchers counts the competition subgraph's requests with it); run as a script,
// `node lib/pass-through-proxy.js <port> <target>`, it runs in a process of its own, so its CPU can be
// read apart from the load generator's (bench:auth-me's floor), and says 'ready' over IPC.
const http = require('node:http');

function passThroughProxy(port, targetPort) {
  const counter = { requests: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    counter.requests += 1;
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve({ counter, close: () => server.close() })),
  );
}

if (require.main === module) {
  const [port, target] = process.argv.slice(2).map(Number);
  passThroughProxy(port, target).then(() => process.send?.('ready'));
}

module.exports = { passThroughProxy };
