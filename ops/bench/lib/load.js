// One autocannon run with the figures the benchmarks report.
const autocannon = require('autocannon');

async function measure({ url, body, headers, connections = 16, duration = 10 }) {
  const result = await autocannon({ url, method: 'POST', body, headers, connections, duration });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
  };
}

function row(label, m) {
  return `${label.padEnd(28)} ${m.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(m.p50Ms).padStart(4)} ms   p99 ${String(m.p99Ms).padStart(4)} ms`;
}

module.exports = { measure, row };
