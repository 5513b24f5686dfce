using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Models;

/// <summary>
/// Reads the batches of a pass (an epoch's shuffled order, an evaluation's) into a few reused <see cref="BatchPixels"/>,
/// a background thread keeping the next batches ready while the caller trains on the current one. Images that live on
/// disk reach the network without a step waiting on the read, and memory holds <c>readAhead + 1</c> batches whatever the
/// dataset's size. With <c>readAhead</c> 0 the caller's thread reads each batch when asked (prediction: one short pass).
/// </summary>
internal sealed class BatchReader : IDisposable
{
    private readonly BatchPixels[] buffers;

    public BatchReader(ImageSize size, int capacity, int readAhead)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(readAhead);
        Size = size;
        Capacity = capacity;
        buffers = new BatchPixels[readAhead + 1];
        try
        {
            for (var i = 0; i < buffers.Length; i++) buffers[i] = new BatchPixels(size, capacity);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ImageSize Size { get; }

    /// <summary>Images per batch; the last batch of a pass may be shorter.</summary>
    public int Capacity { get; }

    /// <summary>
    /// The batches of <paramref name="order"/> (indices into <paramref name="source"/>), in order: consecutive runs of
    /// <see cref="Capacity"/>, the last one short. Each batch stays as it is until the next is asked for; ending the
    /// enumeration early (a break, an exception, a cancellation) stops the background read before it returns. One pass at a
    /// time: the buffers are shared.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public IEnumerable<BatchPixels> Read(IPreparedImageSource source, ReadOnlyMemory<int> order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Size != Size)
            throw new ArgumentException($"The images are {source.Size}, this reader holds {Size}.", nameof(source));
        return buffers.Length == 1 ? ReadInline(source, order, cancellationToken) : ReadAhead(source, order, cancellationToken);
    }

    private IEnumerable<BatchPixels> ReadInline(IPreparedImageSource source, ReadOnlyMemory<int> order, CancellationToken cancellationToken)
    {
        for (var start = 0; start < order.Length; start += Capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffers[0].Fill(source, order.Span.Slice(start, Math.Min(Capacity, order.Length - start)));
            yield return buffers[0];
        }
    }

    private IEnumerable<BatchPixels> ReadAhead(IPreparedImageSource source, ReadOnlyMemory<int> order, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<BatchPixels>();
        using var ready = new BlockingCollection<BatchPixels>();
        foreach (var buffer in buffers) free.Add(buffer);
        Exception? failure = null;
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                for (var start = 0; start < order.Length; start += Capacity)
                {
                    var pixels = free.Take(stop.Token);
                    pixels.Fill(source, order.Span.Slice(start, Math.Min(Capacity, order.Length - start)));
                    ready.Add(pixels);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The pass ended early: the consumer has stopped asking.
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                ready.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var pixels in ready.GetConsumingEnumerable(cancellationToken))
            {
                yield return pixels;
                free.Add(pixels);
            }
            // CompleteAdding came after the failure was stored: the collection orders the two.
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            // Never leave a thread writing into buffers that the caller may dispose next.
            stop.Cancel();
            reader.Wait(CancellationToken.None);
        }
    }

    public void Dispose()
    {
        foreach (var buffer in buffers) buffer?.Dispose();
    }
}
