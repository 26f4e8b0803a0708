# The console: the Vue build served as static files by Caddy on :8080 (the edge proxies to it as
# medforge-ui:8080). Both bases are pinned by digest (deploy/compose/.env.example); no defaults on purpose.
ARG NODE_IMAGE
ARG CADDY_IMAGE

FROM ${NODE_IMAGE} AS console
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json ./
COPY ui/package.json ui/
RUN npm ci --no-audit --no-fund --ignore-scripts --workspace @medforge/ui --include-workspace-root=false
COPY ui ui
RUN npm run build --workspace @medforge/ui

FROM ${CADDY_IMAGE}
COPY deploy/docker/ui.Caddyfile /etc/caddy/Caddyfile
COPY --from=console /src/ui/dist /srv/console
# A static server keeps no state: Caddy's config autosave and data go to a scratch folder it may write.
ENV XDG_CONFIG_HOME=/tmp/caddy XDG_DATA_HOME=/tmp/caddy
USER 1000:1000
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
