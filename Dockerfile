# Build
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY PasswordlessBff/PasswordlessBff.csproj PasswordlessBff/
RUN dotnet restore PasswordlessBff/PasswordlessBff.csproj
COPY PasswordlessBff/ PasswordlessBff/
RUN dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o /app --no-restore

# Run: the ASP.NET Core runtime image as its non-root 'app' user; only /app/data is written to.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__Sqlite__Path=/app/data/passwordless.db
EXPOSE 8080
VOLUME ["/app/data"]
ENTRYPOINT ["dotnet", "PasswordlessBff.dll"]
