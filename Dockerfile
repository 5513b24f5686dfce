# syntax=docker/dockerfile:1
# EmotionApi: one image for every role (API, training worker, or both), chosen by configuration.
# Build:  docker build -t emotionapi .
# Run:    docker run -p 8080:8080 -v emotion-data:/data emotionapi
# Roles and job storage by environment: Node__Roles (Api | Worker | Api,Worker), Hangfire__Storage (InMemory |
# PostgreSql), ConnectionStrings__Hangfire; every setting in README "Configuration".
# CI builds this file unchanged and runs the image and docker-compose.yml (.ci/containers.sh, podman on Debian 12
# stand-ins for the base images); README "Deployment" says what that checks.

# The MSBuild files of src/ (projects, props, targets, lock files) and nothing else, where they are: the restore
# below then depends only on what decides the packages, so its layer (~600 MB of libtorch) is reused across code
# changes, whatever projects or imported .targets files src/ gains.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /source
COPY src/ src/
RUN find src -type f ! -name '*.csproj' ! -name '*.props' ! -name '*.targets' ! -name 'packages.lock.json' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Restore first, from the MSBuild files only: every package the projects ask for (references and downloads).
COPY global.json nuget.config Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY --from=projects /source/src/ src/
RUN dotnet restore src/EmotionApi/EmotionApi.csproj --runtime linux-x64

# Then the code, and publish: build steps and content files (appsettings, anything a project marks to publish) included.
COPY src/ src/
# linux-x64 only: no Windows or macOS libtorch in the image.
RUN dotnet publish src/EmotionApi/EmotionApi.csproj --configuration Release --runtime linux-x64 \
      --self-contained false --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
# curl for the HEALTHCHECK (the base image has neither curl nor wget).
RUN apt-get update \
 && apt-get install --yes --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app ./

# The data folder (datasets, jobs, models) is a volume: shared by every node of a deployment.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data

ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Storage__DataPath=/data \
    DOTNET_gcServer=0

# The non-root user the .NET images provide (uid 1654).
USER $APP_UID
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl --fail --silent --show-error http://localhost:8080/health/live || exit 1

ENTRYPOINT ["dotnet", "EmotionApi.dll"]
