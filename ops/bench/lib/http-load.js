// A closed-loop HTTP load generator with microsecond latencies (autocannon reports whole
// milliseconds, too coarse for "under 1 ms added"). Each connection is one keep-alive socket sending
// the next request as soon as the previous answer is read, for `duration` seconds.
const http = require('node:http');

function percentile(sortedMicros, p) {
  return sortedMicros[Math.min(sortedMicros.length - 1, Math.ceil((p / 100) * sortedMicros.length) - 1)];
}

async function measureGet({ port, host, path, headers = {}, connections = 16, duration = 10 }) {
  const latencies = [];
  const failures = new Map();
  const deadline = process.hrtime.bigint() + BigInt(duration) * 1_000_000_000n;
  const started = process.hrtime.bigint();

  const worker = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (process.hrtime.bigint() < deadline) {
      const sent = process.hrtime.bigint();
      const status = await new Promise((resolve, reject) => {
        const request = http.get(
          { host: '127.0.0.1', port, path, agent, headers: { ...headers, host } },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode));
          },
        );
        request.on('error', reject);
      });
      if (status !== 200) failures.set(status, (failures.get(status) ?? 0) + 1);
      latencies.push(Number(process.hrtime.bigint() - sent) / 1000);
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (failures.size > 0) {
    const statuses = [...failures].map(([status, count]) => `${count} x ${status}`).join(', ');
    throw new Error(`${host}${path}: of ${latencies.length} answers, ${statuses}`);
  }
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50) / 1000,
    p99Ms: percentile(latencies, 99) / 1000,
    total: latencies.length,
  };
}

function row(label, m) {
  return `${label.padEnd(40)} ${m.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${m.p50Ms.toFixed(2).padStart(6)} ms   p99 ${m.p99Ms.toFixed(2).padStart(6)} ms`;
}

module.exports = { measureGet, row };
