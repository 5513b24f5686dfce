using System.Runtime.InteropServices;
using TorchSharp;

namespace EmotionApi.Learning;

/// <summary>
/// Loads the native torch runtime once and explains a failure in one line, instead of
/// TorchSharp's misleading "no reference to libtorch-cpu-linux-x64".
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<string?> LoadError = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when torch is usable; otherwise a one-line reason.</summary>
    public static string? Problem => LoadError.Value;

    /// <summary>Throws <see cref="TorchUnavailableException"/> with the one-line reason when torch cannot load.</summary>
    public static void EnsureLoaded()
    {
        if (Problem is { } problem) throw new TorchUnavailableException(problem);
    }

    private static string? TryLoad()
    {
        try
        {
            // Touching torch runs TorchSharp's native loader.
            using var probe = torch.ones(1);
            return null;
        }
        catch (Exception e)
        {
            return Explain(e);
        }
    }

    private static string Explain(Exception e)
    {
        var native = new[] { "", "runtimes/linux-x64/native" }
            .Select(folder => Path.Combine(AppContext.BaseDirectory, folder, "libLibTorchSharp.so"))
            .FirstOrDefault(File.Exists) ?? "libLibTorchSharp.so";
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && File.Exists(native))
        {
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(native));
            }
            catch (Exception load)
            {
                // The real cause (for example "GLIBCXX_3.4.32 not found") is in the loader's message.
                return $"TorchSharp's native library {native} does not load: {FirstLine(load.Message)}. " +
                       "Rebuild with 'dotnet build' (Directory.Build.targets weakens GCC 13 symbol-version needs) or run on a system with libstdc++ from GCC 13+.";
            }
        }
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return $"TorchSharp cannot start: {FirstLine(inner.Message)}";
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 400 ? line[..400] : line;
    }
}
