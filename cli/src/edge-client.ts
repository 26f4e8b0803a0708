import http from 'node:http';
import https from 'node:https';

import WebSocket from 'ws';

export interface EdgeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Talks to the platform the way a browser does: through the edge (Caddy), by host name. `connectTo`
 * (host:port) replaces DNS, as curl's --connect-to does, so a host can be validated before its DNS is
 * live, or on loopback with *.localhost names. TLS is checked against the host name (SNI).
 */
export class EdgeClient {
  private readonly secure: boolean;
  private readonly address: string;
  private readonly port: number;

  constructor(publicUrl: string, connectTo: string | null) {
    const url = new URL(publicUrl);
    this.secure = url.protocol === 'https:';
    const [host, port] = (connectTo ?? `${url.hostname}:${url.port || (this.secure ? 443 : 80)}`).split(':');
    this.address = host!;
    this.port = Number(port);
  }

  /** The Host header for a name on the edge's port (default ports are left out, as browsers do). */
  hostFor(name: string): string {
    return this.port === (this.secure ? 443 : 80) ? name : `${name}:${this.port}`;
  }

  request(
    host: string,
    path: string,
    options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<EdgeResponse> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { host, ...options.headers };
    if (payload) headers['content-type'] = 'application/json';
    const transport = this.secure ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        {
          host: this.address,
          port: this.port,
          path,
          method: options.method ?? 'GET',
          headers,
          servername: host.split(':')[0]!,
          timeout: 15_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer from ${host}${path} within 15 s`)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** A websocket upgrade to `host`: 101 when it opened, else the refusal's status (0: no answer). */
  upgrade(host: string, path: string, headers: Record<string, string>): Promise<number> {
    const scheme = this.secure ? 'wss' : 'ws';
    return new Promise((resolve) => {
      // ws hands `servername` to tls.connect (SNI for the session's name), though its types omit it.
      const options: WebSocket.ClientOptions & { servername: string } = {
        headers: { ...headers, host },
        origin: `${this.secure ? 'https' : 'http'}://${host}`,
        servername: host.split(':')[0]!,
        handshakeTimeout: 15_000,
      };
      const socket = new WebSocket(`${scheme}://${this.address}:${this.port}${path}`, options);
      socket.on('open', () => {
        socket.close();
        resolve(101);
      });
      socket.on('unexpected-response', (_request, response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      socket.on('error', () => resolve(0));
    });
  }
}

/** A user of the API through the edge: signed in (keeping its login cookie), anonymous, or a token. */
export class EdgeUser {
  cookie: string | null = null;

  constructor(
    private readonly edge: EdgeClient,
    private readonly consoleHost: string,
    private readonly origin: string,
    /** An API token: sent as Authorization: Bearer, with no Origin (it is a script, not a browser). */
    private readonly token: string | null = null,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = this.token
      ? { authorization: `Bearer ${this.token}`, accept: 'application/json' }
      : { origin: this.origin, accept: 'application/json' };
    if (this.cookie) headers['cookie'] = this.cookie;
    const response = await this.edge.request(this.consoleHost, path, { method, headers, body });
    const setCookie = response.headers['set-cookie']?.[0];
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return { status: response.status, body: parseBody(response.body) as T };
  }

  cookieHeader(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }
}

/** JSON answers parsed; anything else (a proxy's error page) kept as its text. */
function parseBody(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
