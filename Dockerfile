# syntax=docker/dockerfile:1
# CredentialBot in a container: built with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t credentialbot .
#   docker run -p 8080:8080 --env-file bot.env -v credentialbot-data:/data credentialbot
# Settings come from the environment (Bot__MicrosoftAppId, AzureAd__..., Store__..., see README "Run it for real").

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a code change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Directory.Build.props src/
COPY src/CredentialBot.Domain/CredentialBot.Domain.csproj src/CredentialBot.Domain/
COPY src/CredentialBot.BotFramework/CredentialBot.BotFramework.csproj src/CredentialBot.BotFramework/
COPY src/CredentialBot.Directory/CredentialBot.Directory.csproj src/CredentialBot.Directory/
COPY src/CredentialBot.Store/CredentialBot.Store.csproj src/CredentialBot.Store/
COPY src/CredentialBot.Simulator/CredentialBot.Simulator.csproj src/CredentialBot.Simulator/
COPY src/CredentialBot/CredentialBot.csproj src/CredentialBot/
RUN dotnet restore src/CredentialBot/CredentialBot.csproj
COPY src/ src/
RUN dotnet publish src/CredentialBot/CredentialBot.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's unprivileged "app" user ($APP_UID) owns only /data: the SQLite store of a single instance lives there
# (mount a volume), or set Store__Provider=Postgres and Store__ConnectionString for several instances.
RUN mkdir /data && chown "$APP_UID" /data
USER $APP_UID
ENV Urls=http://+:8080 \
    Store__ConnectionString="Data Source=/data/credentialbot.db"
EXPOSE 8080
# Liveness only (/readyz also checks the store and Graph). The runtime image has no curl: bash asks over /dev/tcp.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "CredentialBot.dll"]
