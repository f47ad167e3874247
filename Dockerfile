# One image for the api, the worker and the simulator; docker-compose.yml picks the command.
# Node 24 is a current LTS line; Debian (glibc), not Alpine: the Temporal SDK's native core needs glibc.
FROM node:24-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compiled JavaScript plus the prebuilt workflow bundle (dist/workflow-bundle.js), then runtime packages only.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-trixie-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web ./web
# A named volume mounted here takes this folder's owner: the app user can write attachments and records.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000 3001 3100
CMD ["node", "dist/api/main.js"]
