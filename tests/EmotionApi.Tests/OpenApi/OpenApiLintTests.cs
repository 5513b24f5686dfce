using System.Diagnostics;
using System.Text.Json;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.OpenApi;

/// <summary>
/// Redocly's recommended rules on the running service's document, as CI runs them: <c>npx @redocly/cli@2.77.0 lint</c>
/// (npm fetches the pinned version on first use; Node.js is part of the machine). Without Node.js the test is skipped
/// and says why; under CI=true it fails instead.
/// </summary>
[Collection(ApiCollection.Name)]
public class OpenApiLintTests(EmotionApiFactory factory, ITestOutputHelper output)
{
    public const string Redocly = "@redocly/cli@2.77.0";

    [Fact]
    public async Task Redocly_s_recommended_rules_find_no_error_in_the_document()
    {
        var folder = Directory.CreateTempSubdirectory("emotionapi-lint-");
        try
        {
            var documentPath = Path.Combine(folder.FullName, "openapi.json");
            using (var client = factory.CreateClient())
                await File.WriteAllTextAsync(documentPath, await client.GetStringAsync("/swagger/v1/swagger.json"));

            var (exitCode, stdout, stderr) = await RunAsync(folder.FullName, "npx", "--yes", Redocly, "lint", documentPath, "--format=json");

            using var report = JsonDocument.Parse(stdout);
            var totals = report.RootElement.GetProperty("totals");
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(problem => $"{problem.GetProperty("severity").GetString()} {problem.GetProperty("ruleId").GetString()}: {problem.GetProperty("message").GetString()}")
                .ToList();
            output.WriteLine($"{Redocly} lint: {totals.GetProperty("errors").GetInt32()} errors, {totals.GetProperty("warnings").GetInt32()} warnings");
            foreach (var problem in problems) output.WriteLine(problem);

            Assert.True(totals.GetProperty("errors").GetInt32() == 0, $"Lint errors (exit code {exitCode}):\n{string.Join("\n", problems)}\n{stderr}");
            Assert.Equal(0, exitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            var message = $"'{command}' could not be started ({e.Message}): the OpenAPI lint needs Node.js and npm.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail($"CI=true: {message}");
            Assert.Skip(message);
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
