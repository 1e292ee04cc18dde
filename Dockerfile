# Parley API and worker image (the same image runs either; docker-compose.yml picks the command).

FROM node:20.19-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx vite build --config web/vite.config.ts

FROM node:20.19-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
COPY --from=build /app/web/dist ./web/dist
USER node
EXPOSE 3000
# tsx directly rather than through npx, so `docker stop`'s SIGTERM is relayed exactly once.
CMD ["./node_modules/.bin/tsx", "api/main.ts"]
