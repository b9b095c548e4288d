# syntax=docker/dockerfile:1
# Build: docker build -t kontakt .
# Run:   docker compose up   (see docker-compose.yml; the image needs ConnectionStrings__Kontakt)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Kontakt.Core/Kontakt.Core.csproj Kontakt.Core/
COPY Kontakt.Api/Kontakt.Api.csproj Kontakt.Api/
RUN dotnet restore Kontakt.Api/Kontakt.Api.csproj
COPY Kontakt.Core/ Kontakt.Core/
COPY Kontakt.Api/ Kontakt.Api/
RUN dotnet publish Kontakt.Api/Kontakt.Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080 2575
# The image's built-in unprivileged user; the service needs no root.
USER $APP_UID
ENTRYPOINT ["dotnet", "Kontakt.Api.dll"]
