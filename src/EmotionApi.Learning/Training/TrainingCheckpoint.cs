using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Models;

namespace EmotionApi.Learning.Training;

/// <summary>
/// One checkpoint file per run directory, replaced atomically after every completed epoch (AtomicFile:
/// temporary file, fsync, rename), so a reader or the next worker sees the previous epoch's whole state or
/// the new one's, never a mix of weights from one epoch and optimizer state from another. Layout: a
/// header, the JSON state, then the weights, the optimizer state and the best epoch's weights (TorchSharp
/// formats), each length-prefixed, and the weight average when the run keeps one (a block that files written before
/// averaging existed end without).
/// </summary>
/// <remarks>
/// Only what resuming needs is written: the best epoch's weights only when the run keeps its best epoch, the average
/// only when it averages. A pretrained ResNet-18 run on a fixed schedule writes its weights (64 MB) and AdamW's two
/// moments (127 MB) per epoch; the frozen-backbone variant checkpoints its head alone (kilobytes).
/// </remarks>
internal sealed class TrainingCheckpoint(string directory)
{
    public const string FileName = "checkpoint.bin";
    private const string Magic = "EmotionApi.TrainingCheckpoint";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = ModelManifest.JsonOptions;

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public sealed record Contents(CheckpointState State, byte[] Weights, byte[] Optimizer, byte[]? BestWeights, byte[]? Average = null);

    /// <summary>
    /// Identifies a run: its settings and its images (ids and labels; not their order or paths, on which the
    /// split does not depend: <see cref="StratifiedSplit"/> orders each class by id; nor their hashes, which follow
    /// from their bytes).
    /// </summary>
    public static string Fingerprint(TrainingSettings settings, IReadOnlyList<DatasetImage> images)
    {
        var text = new StringBuilder();
        text.Append("format ").Append(FormatVersion).Append('\n');
        text.Append(SettingsAsFirstWritten(settings).ToJsonString(JsonOptions)).Append('\n');
        foreach (var image in images.OrderBy(image => image.Id, StringComparer.Ordinal)) text.Append(image.Id).Append('\t').Append((int)image.Label).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The settings' JSON without the fields added since checkpoints were first written, where they hold their
    /// defaults: a run of the previous version hashes as it did then, so its checkpoint still resumes.
    /// </summary>
    private static JsonObject SettingsAsFirstWritten(TrainingSettings settings)
    {
        var json = JsonSerializer.SerializeToNode(settings, JsonOptions)!.AsObject();
        var defaults = JsonSerializer.SerializeToNode(new TrainingSettings { Preset = settings.Preset, Network = settings.Network }, JsonOptions)!.AsObject();
        foreach (var field in AddedSettings)
        {
            if (JsonNode.DeepEquals(json[field], defaults[field])) json.Remove(field);
        }
        if (!settings.GroupDuplicates)
        {
            // Split image by image, as before grouping existed: hashed as that version hashed it, so its checkpoints still resume.
            json.Remove("groupDuplicates");
            json.Remove("nearDuplicateDistance");
        }
        return json;
    }

    // Settings added after the first checkpoint format, by their JSON names.
    private static readonly string[] AddedSettings =
    [
        "keepBestEpoch", "emaDecay", "testTimeFlip", "labelSmoothing", "mixup",
        "warmupEpochs", "backboneLearningRateFactor", "freezeBackbone", "freezeBatchNorm",
    ];

    public void Write(Contents contents)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(contents.State, JsonOptions));
            WriteBlock(writer, contents.Weights);
            WriteBlock(writer, contents.Optimizer);
            WriteBlock(writer, contents.BestWeights ?? []);
            if (contents.Average is { } average) WriteBlock(writer, average);
        }
        AtomicFile.WriteAllBytes(Path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>
    /// The checkpoint of the run <paramref name="fingerprint"/>; null when there is none, it belongs to another
    /// run, or it cannot be read (the run then starts afresh and overwrites it).
    /// </summary>
    public Contents? TryRead(string fingerprint)
    {
        if (!File.Exists(Path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(Path), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion) return null;
            var state = JsonSerializer.Deserialize<CheckpointState>(reader.ReadString(), JsonOptions);
            if (state is null || state.Fingerprint != fingerprint) return null;
            var weights = ReadBlock(reader);
            var optimizer = ReadBlock(reader);
            var best = ReadBlock(reader);
            var average = reader.BaseStream.Position < reader.BaseStream.Length ? ReadBlock(reader) : null;
            return new Contents(state, weights, optimizer, best.Length == 0 ? null : best, average);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or FormatException)
        {
            return null;
        }
    }

    private static void WriteBlock(BinaryWriter writer, byte[] block)
    {
        writer.Write(block.LongLength);
        writer.Write(block);
    }

    private static byte[] ReadBlock(BinaryReader reader)
    {
        var length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException("A checkpoint block runs past the end of the file.");
        return reader.ReadBytes((int)length);
    }
}
