# syntax=docker/dockerfile:1

# Build a static binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/safelink ./cmd/safelink

# Run it as a non-root user in an image with nothing else in it. No
# HEALTHCHECK: orchestrators probe /healthz and /readyz themselves.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/safelink /safelink
USER nonroot:nonroot
# The internal listener (rewrite and admin APIs, /metrics) listens on the
# container's address, so that the chat backend and Prometheus reach it
# through their own network policy; publish only 8080 to the internet.
ENV SAFELINK_INTERNAL_ADDR=:8081
EXPOSE 8080 8081
ENTRYPOINT ["/safelink"]
CMD ["serve"]
