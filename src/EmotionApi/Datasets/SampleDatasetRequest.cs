using EmotionApi.Learning.Data;
using EmotionApi.Shared;

namespace EmotionApi.Datasets;

/// <summary>Body of <c>POST /api/datasets/sample</c>. Every field is optional; the body may be empty.</summary>
public sealed record SampleDatasetRequest
{
    public const int MinCount = 10, MaxCount = 5000, DefaultCount = 400;
    public const int MinSide = 16, MaxSide = 1024, DefaultSide = 64;
    public const int DefaultSeed = 1;

    /// <summary>Number of images, 10 to 5000 (default 400), about 53% Positive like the article's data.</summary>
    public int Count { get; init; } = DefaultCount;

    /// <summary>The generator's random seed: the same seed, count and size give the same images, byte for byte.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Image width in pixels, 16 to 1024 (default 64). The article's photos were 500 wide.</summary>
    public int Width { get; init; } = DefaultSide;

    /// <summary>Image height in pixels, 16 to 1024 (default 64). The article's photos were 400 high.</summary>
    public int Height { get; init; } = DefaultSide;

    /// <summary>Display name; by default it states the random seed, count and size.</summary>
    public string? Name { get; init; }

    /// <summary>The generator's options and the dataset's name.</summary>
    /// <exception cref="ValidationException">Names every field out of range.</exception>
    internal (SyntheticFacesOptions Options, string Name) Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Count is < MinCount or > MaxCount)
            errors["count"] = [$"Must be between {MinCount} and {MaxCount}; got {Count}."];
        if (Width is < MinSide or > MaxSide)
            errors["width"] = [$"Must be between {MinSide} and {MaxSide} pixels; got {Width}."];
        if (Height is < MinSide or > MaxSide)
            errors["height"] = [$"Must be between {MinSide} and {MaxSide} pixels; got {Height}."];
        if (DatasetNames.Problem(Name) is { } nameProblem)
            errors["name"] = [nameProblem];
        if (errors.Count > 0) throw new ValidationException(errors);

        var options = new SyntheticFacesOptions { Count = Count, Seed = Seed, Width = Width, Height = Height };
        return (options, DatasetNames.Clean(Name) ?? DefaultNameOf(options));
    }

    internal static string DefaultNameOf(SyntheticFacesOptions options) =>
        $"Synthetic faces (seed {options.Seed}, {options.Count} images, {options.Width}x{options.Height})";
}
