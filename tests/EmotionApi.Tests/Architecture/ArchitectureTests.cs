using System.Reflection;
using System.Runtime.CompilerServices;
using EmotionApi.Learning.Training;
using EmotionApi.Shared;
using NetArchTest.Rules;

namespace EmotionApi.Tests.Architecture;

/// <summary>
/// The dependency picture of the README's Architecture section, held: which top-level folder of the web host may
/// use which, no cycle between them, services without HTTP, and an ML library without ASP.NET or Hangfire.
/// </summary>
public class ArchitectureTests
{
    private const string Root = "EmotionApi";
    private static readonly Assembly WebHost = typeof(ServiceException).Assembly;
    private static readonly Assembly Library = typeof(TrainingPipeline).Assembly;

    /// <summary>Each top-level folder of the web host and the folders it may use (the README draws the same).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        // Foundation: used by everyone, using no one.
        ["Shared"] = [],
        ["Deployment"] = [],
        // Web plumbing shared by the features' endpoints, and the telemetry the features record into.
        ["Http"] = ["Shared", "Deployment"],
        ["Telemetry"] = ["Shared", "Deployment"],
        // Features, one way: Training uses Datasets and Models; Prediction uses Models; both Training and Models show RunResults.
        ["RunResults"] = ["Shared", "Deployment", "Http", "Telemetry"],
        ["Datasets"] = ["Shared", "Deployment", "Http", "Telemetry"],
        ["Models"] = ["Shared", "Deployment", "Http", "Telemetry", "RunResults"],
        ["Prediction"] = ["Shared", "Deployment", "Http", "Telemetry", "Models"],
        ["Training"] = ["Shared", "Deployment", "Http", "Telemetry", "Datasets", "Models", "RunResults"],
        // The job system's adapter: carries the Training feature's jobs to workers.
        ["BackgroundJobs"] = ["Shared", "Deployment", "Http", "Telemetry", "Training"],
        // The web page: static files and "/", talking to the other features only through the API, as any client.
        ["WebPage"] = ["Shared", "Deployment", "Http"],
        // Composition: what every node sets up.
        ["Hosting"] = ["Shared", "Deployment", "Http", "Telemetry", "RunResults", "Datasets", "Models", "Prediction", "Training", "BackgroundJobs", "WebPage"],
    };

    private static readonly string[] Features = ["Datasets", "Training", "Models", "Prediction", "RunResults", "WebPage"];

    [Fact]
    public void Every_top_level_folder_is_in_the_picture()
    {
        Assert.Equal(Allowed.Keys.Order(), Folders().Order());
        // NetArchTest matches namespaces by prefix: no folder's name may start another's.
        Assert.DoesNotContain(Allowed.Keys, a => Allowed.Keys.Any(b => a != b && b.StartsWith(a, StringComparison.Ordinal)));
    }

    [Fact]
    public void Folders_use_only_the_folders_the_picture_allows()
    {
        var forbidden = Uses()
            .Where(use => !(Allowed.TryGetValue(use.From, out var allowed) && allowed.Contains(use.To)))
            .Select(use => $"{use.From} -> {use.To} (in {string.Join(", ", use.Types)})")
            .ToList();

        Assert.True(forbidden.Count == 0, "Dependencies the README's picture does not allow:\n" + string.Join("\n", forbidden));
    }

    [Fact]
    public void No_two_top_level_folders_depend_on_each_other_even_through_others()
    {
        var actual = Uses().ToLookup(use => use.From, use => use.To);

        Assert.Null(FindCycle(Folders(), folder => actual[folder]));
        // The picture itself is one way too.
        Assert.Null(FindCycle(Allowed.Keys, folder => Allowed[folder]));
    }

    [Fact]
    public void Services_mention_no_http_types_status_codes_or_endpoint_classes()
    {
        // HTTP belongs to the endpoint classes (*Api), their registration (*Setup) and the upload form's reader (*Form).
        var endpointClasses = Types.InAssembly(WebHost).That().HaveNameEndingWith("Api").GetTypes().Select(type => type.FullName!).ToArray();
        Assert.Contains($"{Root}.Training.TrainingJobsApi", endpointClasses);

        var offenders = Features.SelectMany(feature => Types.InAssembly(WebHost)
            .That().ResideInNamespace($"{Root}.{feature}")
            .And().DoNotHaveNameEndingWith("Api").And().DoNotHaveNameEndingWith("Setup").And().DoNotHaveNameEndingWith("Form")
            .ShouldNot().HaveDependencyOnAny(["Microsoft.AspNetCore", .. endpointClasses])
            .GetResult().FailingTypeNames ?? []).ToList();

        Assert.True(offenders.Count == 0, "Services that speak HTTP: " + string.Join(", ", offenders));

        // Status codes are constants, compiled into plain numbers: only the source shows them.
        var sources = Features
            .SelectMany(feature => Directory.EnumerateFiles(Path.Combine(WebHostSource(), feature), "*.cs"))
            .Where(file => !Path.GetFileNameWithoutExtension(file).EndsWith("Api") && !Path.GetFileNameWithoutExtension(file).EndsWith("Setup")
                           && !Path.GetFileNameWithoutExtension(file).EndsWith("Form"))
            .ToList();
        Assert.Contains(sources, file => file.EndsWith("ImagePredictor.cs"));
        var mentions = sources
            .Where(file => File.ReadAllText(file) is var text && (text.Contains("StatusCodes.") || text.Contains("IFormFile") || text.Contains("HttpContext")))
            .ToList();
        Assert.True(mentions.Count == 0, "Services that mention status codes or HTTP: " + string.Join(", ", mentions));
    }

    [Fact]
    public void The_ml_library_uses_no_asp_net_hangfire_or_web_host_type()
    {
        var result = Types.InAssembly(Library)
            .ShouldNot().HaveDependencyOnAny("Microsoft.AspNetCore", "Hangfire", "Npgsql", $"{Root}.{nameof(Shared)}")
            .GetResult();

        Assert.True(result.IsSuccessful, "Library types using the web's: " + string.Join(", ", result.FailingTypeNames ?? []));
        Assert.DoesNotContain(Library.GetReferencedAssemblies(), reference =>
            reference.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || reference.Name.StartsWith("Hangfire", StringComparison.Ordinal)
            || reference.Name == WebHost.GetName().Name);
    }

    [Fact]
    public void The_checks_see_a_dependency_that_is_there()
    {
        // Guards the rules above against passing for want of seeing anything.
        var uses = Uses().Select(use => (use.From, use.To)).ToList();

        Assert.Contains(("Training", "Datasets"), uses);
        Assert.Contains(("BackgroundJobs", "Training"), uses);
        Assert.DoesNotContain(("Datasets", "Training"), uses);
        Assert.False(Types.InAssembly(WebHost).That().HaveName("HangfireSetup").ShouldNot().HaveDependencyOn("Hangfire").GetResult().IsSuccessful);
    }

    /// <summary>src/EmotionApi, found from this file's place in the repository.</summary>
    private static string WebHostSource([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "src", Root));

    /// <summary>The web host's top-level folders: the second part of its namespaces.</summary>
    private static IReadOnlyList<string> Folders() =>
        WebHost.GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(name => name.StartsWith(Root + ".", StringComparison.Ordinal))
            .Select(name => name.Split('.')[1])
            .Distinct()
            .ToList();

    /// <summary>Every pair of folders where a type of the first uses a type of the second, with the types that do.</summary>
    private static List<(string From, string To, IReadOnlyList<string> Types)> Uses()
    {
        var folders = Folders();
        var uses = new List<(string, string, IReadOnlyList<string>)>();
        foreach (var from in folders)
        foreach (var to in folders.Where(to => to != from))
        {
            var result = Types.InAssembly(WebHost).That().ResideInNamespace($"{Root}.{from}")
                .ShouldNot().HaveDependencyOn($"{Root}.{to}")
                .GetResult();
            if (!result.IsSuccessful) uses.Add((from, to, result.FailingTypeNames.ToList()));
        }
        return uses;
    }

    /// <summary>A cycle as "A -> B -> A", or null when there is none (depth-first search).</summary>
    private static string? FindCycle(IEnumerable<string> nodes, Func<string, IEnumerable<string>> next)
    {
        var done = new HashSet<string>();
        var path = new List<string>();

        string? Visit(string node)
        {
            if (path.Contains(node)) return string.Join(" -> ", path.SkipWhile(step => step != node).Append(node));
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var target in next(node))
                if (Visit(target) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }

        return nodes.Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }
}
