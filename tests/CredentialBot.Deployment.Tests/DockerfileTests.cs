namespace CredentialBot.Deployment.Tests;

/// <summary>
/// The Dockerfile's shape. No container engine runs here, so the image is never built in these tests: they check
/// what can be checked without one, and the README says so.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Repository.PathOf("Dockerfile"));

    private static IEnumerable<string> Instructions(string name) =>
        Lines.Where(l => l.StartsWith(name + " ", StringComparison.Ordinal));

    [Fact]
    public void TheImage_IsBuiltWithTheSdk_AndRunsOnTheAspNetRuntime()
    {
        Assert.Equal(
        [
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime",
        ], Instructions("FROM"));
    }

    [Fact]
    public void TheBot_RunsAsTheImagesUnprivilegedUser()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToList();
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));

        Assert.Equal("USER $APP_UID", user);
        Assert.True(runtime.IndexOf(user) < runtime.FindIndex(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheHealthCheck_AsksHealthz_OnThePortTheBotListensOn()
    {
        var healthCheck = string.Join('\n', Lines.SkipWhile(l => !l.StartsWith("HEALTHCHECK", StringComparison.Ordinal)).Take(2));

        Assert.Contains("/dev/tcp/127.0.0.1/8080", healthCheck, StringComparison.Ordinal);
        Assert.Contains("GET /healthz", healthCheck, StringComparison.Ordinal);
        Assert.Contains("Urls=http://+:8080", string.Join('\n', Lines), StringComparison.Ordinal);
        Assert.Equal(["EXPOSE 8080"], Instructions("EXPOSE"));
    }

    [Fact]
    public void EveryFileTheBuildCopies_Exists_AndIsNotIgnored()
    {
        var ignore = File.ReadAllLines(Repository.PathOf(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var copied = Instructions("COPY").Where(l => !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]);

        foreach (var path in copied)
        {
            Assert.True(File.Exists(Repository.PathOf(path)) || System.IO.Directory.Exists(Repository.PathOf(path)), path);
            var topLevel = path.Split('/')[0];
            Assert.Contains("!" + (topLevel == path ? path : topLevel + "/"), ignore);
        }

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void EveryProjectTheBotNeeds_IsRestoredBeforeTheSourcesAreCopied()
    {
        var host = File.ReadAllText(Repository.PathOf("src/CredentialBot/CredentialBot.csproj"));
        var references = System.Text.RegularExpressions.Regex.Matches(host, @"\\(?<name>CredentialBot\.[A-Za-z]+)\.csproj").Select(m => m.Groups["name"].Value);

        foreach (var project in references.Append("CredentialBot"))
        {
            Assert.Contains($"COPY src/{project}/{project}.csproj src/{project}/", Lines);
        }
    }
}
