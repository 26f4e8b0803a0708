# The edge: TLS for the console, the API and the session wildcards, and forward auth for sessions.
# CADDY_IMAGE must be a Caddy 2.6+ build with your DNS provider's module (wildcard certificates need the
# ACME DNS challenge; docs/runbook.md), pinned by digest. There is deliberately no default.
ARG CADDY_IMAGE
FROM ${CADDY_IMAGE}
COPY deploy/caddy/Caddyfile deploy/caddy/session-routing.caddy /etc/caddy/
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
