# syntax=docker/dockerfile:1
# Build: restore first (cached while only sources change), then publish framework-dependent without an apphost.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY PasswordlessBff/PasswordlessBff.csproj PasswordlessBff/
RUN dotnet restore PasswordlessBff/PasswordlessBff.csproj
COPY PasswordlessBff/ PasswordlessBff/
RUN dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# Run: the ASP.NET Core runtime image as its non-root 'app' user (APP_UID, 1654). Meant for a read-only root file
# system: the only writes are the SQLite store under /app/data (a volume) and the runtime's diagnostic socket under
# /tmp (mount a tmpfs there, or set DOTNET_EnableDiagnostics=0). Data Protection keys live in the store, not in $HOME.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
LABEL org.opencontainers.image.title="PasswordlessBff" \
      org.opencontainers.image.description="Passwordless (magic link and one-time code) sign-in backend-for-frontend; see docs/OPERATIONS.md" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:10.0"
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__Sqlite__Path=/app/data/passwordless.db
EXPOSE 8080
VOLUME ["/app/data"]
# The image has no curl or wget: the service's own binary is the probe (GET /healthz on 127.0.0.1, exit 0 or 1).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["dotnet", "/app/PasswordlessBff.dll", "--health-check"]
ENTRYPOINT ["dotnet", "PasswordlessBff.dll"]
