using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// An exponential moving average of a network's weights and buffers (batch-norm statistics), updated after every
/// optimizer step: the averaged network sits in a wider, flatter part of the loss than the last step's, and scores
/// steadier from seed to seed. The decay ramps up as (1 + n) / (10 + n) over the first steps (TensorFlow's
/// ExponentialMovingAverage with num_updates), so the average does not remember the random initialisation.
/// Integer buffers (batch norm's step count) are copied, not averaged.
/// </summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly double decay;
    private readonly (Tensor Live, Tensor Average)[] pairs;

    /// <summary>Starts the average at <paramref name="network"/>'s current state.</summary>
    public WeightAverage(nn.Module network, double decay)
    {
        this.decay = decay;
        using var noGrad = torch.no_grad();
        pairs = network.state_dict().Values.Select(live => (live, live.detach().clone().DetachFromDisposeScope())).ToArray();
    }

    /// <summary>Optimizer steps averaged so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Takes the network's weights after a step into the average.</summary>
    public void Update()
    {
        Updates++;
        var rate = Math.Min(decay, (1.0 + Updates) / (10.0 + Updates));
        using var noGrad = torch.no_grad();
        foreach (var (live, average) in pairs)
        {
            if (live.is_floating_point()) average.mul_(rate).add_(live, alpha: 1 - rate);
            else average.copy_(live);
        }
    }

    /// <summary>Puts the average into the network until the result is disposed, which puts the network's own weights back.</summary>
    public IDisposable Swap()
    {
        using var noGrad = torch.no_grad();
        var saved = pairs.Select(pair => pair.Live.detach().clone().DetachFromDisposeScope()).ToArray();
        CopyToNetwork();
        return new Swapped(pairs, saved);
    }

    /// <summary>Gives the network the average for good (the end of training).</summary>
    public void CopyToNetwork()
    {
        using var noGrad = torch.no_grad();
        foreach (var (live, average) in pairs) live.copy_(average);
    }

    /// <summary>The average and its step count, for a checkpoint.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Updates);
            writer.Write(pairs.Length);
            foreach (var (_, average) in pairs) average.Save(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>Takes up a checkpoint's average.</summary>
    /// <exception cref="InvalidDataException">It is the average of another network.</exception>
    public void Restore(byte[] saved)
    {
        using var reader = new BinaryReader(new MemoryStream(saved, writable: false));
        var updates = reader.ReadInt64();
        if (reader.ReadInt32() != pairs.Length) throw new InvalidDataException("The saved average has another number of tensors than the network.");
        using var noGrad = torch.no_grad();
        foreach (var (_, average) in pairs) average.Load(reader);
        Updates = updates;
    }

    public void Dispose()
    {
        foreach (var (_, average) in pairs) average.Dispose();
    }

    private sealed class Swapped((Tensor Live, Tensor Average)[] pairs, Tensor[] saved) : IDisposable
    {
        public void Dispose()
        {
            using var noGrad = torch.no_grad();
            for (var i = 0; i < pairs.Length; i++)
            {
                pairs[i].Live.copy_(saved[i]);
                saved[i].Dispose();
            }
        }
    }
}
