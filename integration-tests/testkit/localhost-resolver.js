// Preloaded into documentation example programs: *.localhost resolves to loopback, as RFC 6761 asks and
// as systemd-resolved (most desktops) and browsers do. This machine's resolver does not, and the
// examples address the platform as http://medforge.localhost:<port> like a reader's machine would.
'use strict';
const dns = require('node:dns');

const lookup = dns.lookup;
dns.lookup = function lookupLocalhost(hostname, options, callback) {
  if (typeof hostname === 'string' && /(^|\.)localhost$/i.test(hostname)) {
    const done = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    return process.nextTick(() =>
      all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4),
    );
  }
  return lookup.call(this, hostname, options, callback);
};
