using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Augmentation;

/// <summary>
/// Bilinear affine warp of a batch, edge pixels repeated outside: what affine_grid + grid_sample
/// (bilinear, border padding, align_corners false) compute, written as one pass over channels_last memory.
/// It is faster than torch's pair plus the reorder its NCHW output needs (docs/performance.md): affine_grid
/// materialises a [N, H, W, 2] grid, while this computes coordinates row by row. Its output is channels_last,
/// the layout the networks convolve in.
/// The source is either a float batch or the prepared images' bytes, which it scales by 1/255 as it reads
/// them (Keras' rescale): the training loop's fused path, one pass over the batch instead of two. Its byte rows run
/// vectorised (AVX2) where the CPU allows, giving the scalar kernel's floats bit for bit (speed-up: docs/performance.md).
/// </summary>
internal static class AffineWarp
{
    /// <summary>
    /// <paramref name="batch"/>: float32 [N, C, H, W] on the CPU, any memory layout. Output pixel (i, j) of image n
    /// samples the source at <see cref="AffineDraw.PixelMatrix"/> applied to (i, j) about the image centre.
    /// Returns a new [N, C, H, W] tensor with channels_last strides, values clamped to [0, 1].
    /// </summary>
    public static Tensor Apply(Tensor batch, IReadOnlyList<AffineDraw> draws)
    {
        if (batch.dtype != ScalarType.Float32 || batch.device_type != DeviceType.CPU)
            throw new ArgumentException($"Expected float32 pixels on the CPU, got {batch.dtype} on {batch.device}.", nameof(batch));
        var (count, channels, height, width) = ((int)batch.shape[0], (int)batch.shape[1], (int)batch.shape[2], (int)batch.shape[3]);
        if (draws.Count != count) throw new ArgumentException($"Expected {count} draws, got {draws.Count}.", nameof(draws));

        // NHWC views: a no-op for channels_last input, one copy otherwise.
        using var nhwcView = batch.permute(0, 2, 3, 1);
        using var source = nhwcView.contiguous();
        var imageLength = height * width * channels;
        using var output = empty([count, height, width, channels], ScalarType.Float32);
        return Warp(source, output, draws, (sourceBytes, image, row, target, matrix) =>
            WarpRow<float, FloatSamples>(
                MemoryMarshal.Cast<byte, float>(sourceBytes).Slice(image * imageLength, imageLength), target, height, width, channels, row, matrix));
    }

    /// <summary>
    /// The fused path: image n of the output is image n of <paramref name="pixels"/> (uint8 [N, H, W, 3], contiguous: the
    /// prepared images' HWC bytes) warped by <paramref name="draws"/>[n] and scaled by 1/255. Equals <see cref="Apply"/> of
    /// NetworkInput's float batch bit for bit: each byte becomes the same float (b x (1/255f), looked up) before the same
    /// blending. Returns float32 [N, 3, H, W] with channels_last strides: a view of <paramref name="destination"/> (float32
    /// [N, H, W, 3], contiguous) when given, otherwise of a new tensor.
    /// </summary>
    public static Tensor ApplyToBytes(Tensor pixels, IReadOnlyList<AffineDraw> draws, Tensor? destination = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dtype != ScalarType.Byte || pixels.device_type != DeviceType.CPU || pixels.dim() != 4 || pixels.shape[3] != 3 || !pixels.is_contiguous())
            throw new ArgumentException($"Expected contiguous uint8 [N, H, W, 3] pixels on the CPU, got {pixels.dtype} [{string.Join(", ", pixels.shape)}].", nameof(pixels));
        var (count, height, width) = ((int)pixels.shape[0], (int)pixels.shape[1], (int)pixels.shape[2]);
        if (count < 1) throw new ArgumentException("A batch holds at least one image.", nameof(pixels));
        if (draws.Count != count) throw new ArgumentException($"Expected {count} draws, got {draws.Count}.", nameof(draws));
        if (destination is not null &&
            (destination.dtype != ScalarType.Float32 || destination.device_type != DeviceType.CPU || !destination.is_contiguous() ||
             !destination.shape.SequenceEqual([count, height, width, 3])))
            throw new ArgumentException(
                $"Expected a contiguous float32 [{count}, {height}, {width}, 3] destination on the CPU.", nameof(destination));
        var imageLength = height * width * 3;
        // A new batch's handle is disposed here, its returned view keeps the memory; the caller's destination stays its own.
        using var allocated = destination is null ? empty([count, height, width, 3], ScalarType.Float32) : null;
        return Warp(pixels, destination ?? allocated!, draws, (sourceBytes, image, row, target, matrix) =>
            WarpBytesRow(sourceBytes.Slice(image * imageLength, imageLength), target, height, width, row, matrix));
    }

    /// <summary>One output row of RGB bytes: vectorised where the CPU has AVX2, otherwise the scalar warp; both give the same floats.</summary>
    internal static void WarpBytesRow(
        ReadOnlySpan<byte> source, Span<float> target, int height, int width, int row,
        (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) matrix)
    {
        if (Avx2.IsSupported) WarpBytesRowAvx2(source, target, height, width, row, matrix);
        else WarpBytesRowScalar(source, target, height, width, row, matrix);
    }

    /// <summary>The scalar warp of one RGB byte row: the reference the vector kernel equals, and the fallback without AVX2.</summary>
    internal static void WarpBytesRowScalar(
        ReadOnlySpan<byte> source, Span<float> target, int height, int width, int row,
        (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) matrix) =>
        WarpRow<byte, ByteSamples>(source, target, height, width, 3, row, matrix);

    /// <summary>
    /// <see cref="WarpBytesRowScalar"/>'s arithmetic, operation for operation (no fused multiply-adds, so every float rounds
    /// as there): coordinates, floors and weights for 8 columns at once, then each pixel's 4 neighbours read as two 8-byte
    /// loads (a pixel and its right neighbour are 6 adjacent bytes) and blended as one vector of its 3 channels.
    /// </summary>
    internal static void WarpBytesRowAvx2(
        ReadOnlySpan<byte> source, Span<float> target, int height, int width, int row,
        (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) matrix)
    {
        const int Lanes = 8;
        var (startRow, startColumn, stepRow, stepColumn) = RowStart(height, width, matrix, row);
        var rowLength = width * 3;
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(target);
        // A pixel's two reads take 8 bytes from its top-left and bottom-left sample; near the source's end they would pass it.
        var lastWideRead = source.Length - sizeof(ulong);
        Span<int> topLefts = stackalloc int[Lanes], downs = stackalloc int[Lanes];
        Span<float> columnWeights = stackalloc float[Lanes], rowWeights = stackalloc float[Lanes];
        var laneColumns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<float> rowStarts = Vector256.Create(startRow), columnStarts = Vector256.Create(startColumn);
        Vector256<float> rowSteps = Vector256.Create(stepRow), columnSteps = Vector256.Create(stepColumn);
        Vector256<float> maxRows = Vector256.Create((float)(height - 1)), maxColumns = Vector256.Create((float)(width - 1));
        Vector256<int> lastRows = Vector256.Create(height - 1), rowLengths = Vector256.Create(rowLength);
        var scale = Vector128.Create(1f / 255f);
        // Each pixel stores 4 floats, the 4th landing on the next pixel's red, which that pixel then writes; so the row's
        // last pixel, whose 4th float would be the next row's, is left to the scalar tail with the columns after the last block.
        var vectorColumns = (width - 1) / Lanes * Lanes;
        for (var column = 0; column < vectorColumns; column += Lanes)
        {
            var columns = Avx.ConvertToVector256Single(Vector256.Create(column) + laneColumns);
            // Border padding as in WarpRow: coordinates clipped into the image (max then min, as Math.Clamp for these values).
            var y = Avx.Min(Avx.Max(Avx.Add(rowStarts, Avx.Multiply(rowSteps, columns)), Vector256<float>.Zero), maxRows);
            var x = Avx.Min(Avx.Max(Avx.Add(columnStarts, Avx.Multiply(columnSteps, columns)), Vector256<float>.Zero), maxColumns);
            var y0 = Avx.ConvertToVector256Int32WithTruncation(y);
            var x0 = Avx.ConvertToVector256Int32WithTruncation(x);
            Avx.Subtract(y, Avx.ConvertToVector256Single(y0)).StoreUnsafe(ref MemoryMarshal.GetReference(rowWeights));
            Avx.Subtract(x, Avx.ConvertToVector256Single(x0)).StoreUnsafe(ref MemoryMarshal.GetReference(columnWeights));
            (Avx2.CompareGreaterThan(lastRows, y0) & rowLengths).StoreUnsafe(ref MemoryMarshal.GetReference(downs));
            (Avx2.MultiplyLow(y0, rowLengths) + x0 * 3).StoreUnsafe(ref MemoryMarshal.GetReference(topLefts));
            for (var lane = 0; lane < Lanes; lane++)
            {
                var topLeft = topLefts[lane];
                var bottomLeft = topLeft + downs[lane];
                var output = (column + lane) * 3;
                if (bottomLeft > lastWideRead)
                {
                    // The scalar warp's right step is 0 only in the last column, where the weight is 0 and the step unread.
                    BlendPixel(ref from, ref to, topLeft, columnWeights[lane] > 0 ? 3 : 0, downs[lane], columnWeights[lane], rowWeights[lane], output);
                    continue;
                }
                // The right neighbour's bytes are read even in the last column: there the column weight is exactly 0 and
                // a + 0 x (b - a) is a, as the scalar warp's repeated edge pixel gives.
                var top = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, topLeft))).AsByte();
                var bottom = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, bottomLeft))).AsByte();
                // Bytes to floats times 1/255f: the values ByteSamples' table holds.
                var a = Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(top)) * scale;
                var b = Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(Sse2.ShiftRightLogical128BitLane(top, 3))) * scale;
                var d = Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(bottom)) * scale;
                var e = Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(Sse2.ShiftRightLogical128BitLane(bottom, 3))) * scale;
                var fx = Vector128.Create(columnWeights[lane]);
                var upper = a + fx * (b - a);
                var lower = d + fx * (e - d);
                var blended = upper + Vector128.Create(rowWeights[lane]) * (lower - upper);
                Sse.Min(Sse.Max(blended, Vector128<float>.Zero), Vector128<float>.One).StoreUnsafe(ref to, (nuint)output);
            }
        }
        for (var j = vectorColumns; j < width; j++)
        {
            var y = Math.Clamp(startRow + stepRow * j, 0f, height - 1);
            var x = Math.Clamp(startColumn + stepColumn * j, 0f, width - 1);
            int y0 = (int)y, x0 = (int)x;
            BlendPixel(ref from, ref to, y0 * rowLength + x0 * 3, x0 < width - 1 ? 3 : 0, y0 < height - 1 ? rowLength : 0, x - x0, y - y0, j * 3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendPixel(ref byte from, ref float to, int topLeft, int right, int down, float fx, float fy, int output)
    {
        Unsafe.Add(ref to, output) = Blend<byte, ByteSamples>(ref from, topLeft, right, down, fx, fy);
        Unsafe.Add(ref to, output + 1) = Blend<byte, ByteSamples>(ref from, topLeft + 1, right, down, fx, fy);
        Unsafe.Add(ref to, output + 2) = Blend<byte, ByteSamples>(ref from, topLeft + 2, right, down, fx, fy);
    }

    /// <summary>The source point of a row's column 0 and the step each next column adds, as floats.</summary>
    private static (float StartRow, float StartColumn, float StepRow, float StepColumn) RowStart(
        int height, int width, (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) m, int row)
    {
        double centreRow = (height - 1) / 2.0, centreColumn = (width - 1) / 2.0;
        var rowOffset = row - centreRow;
        return (
            (float)(m.Rr * rowOffset - m.Rc * centreColumn + m.Tr + centreRow),
            (float)(m.Cr * rowOffset - m.Cc * centreColumn + m.Tc + centreColumn),
            (float)m.Rc, (float)m.Cc);
    }

    /// <summary>Warps one output row of image <paramref name="image"/>; <paramref name="source"/> is the whole source batch's memory.</summary>
    private delegate void RowWarper(
        ReadOnlySpan<byte> source, int image, int row, Span<float> target, (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) matrix);

    /// <summary>
    /// Fills <paramref name="output"/>, an NHWC float batch, row by row in parallel from <paramref name="source"/> (contiguous);
    /// returns its NCHW-shaped, channels_last view.
    /// </summary>
    private static Tensor Warp(Tensor source, Tensor output, IReadOnlyList<AffineDraw> draws, RowWarper warpRow)
    {
        var (count, height, width, channels) = ((int)output.shape[0], (int)output.shape[1], (int)output.shape[2], (int)output.shape[3]);
        var matrices = draws.Select(d => d.PixelMatrix()).ToArray();
        var rowLength = width * channels;
        var rows = count * height;
        // Blocks of rows, a few dozen per core so that uneven rows (rotated images read scattered sources) even
        // out; each block fetches its spans once, since spans cannot live in the closure.
        var blocks = Math.Min(rows, 32 * Environment.ProcessorCount);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, blocks, parallel, block =>
        {
            ReadOnlySpan<byte> sourceBytes = source.bytes;
            var targetPixels = MemoryMarshal.Cast<byte, float>(output.bytes);
            for (var row = rows * block / blocks; row < rows * (block + 1) / blocks; row++)
            {
                var (image, i) = Math.DivRem(row, height);
                warpRow(sourceBytes, image, i, targetPixels.Slice(row * rowLength, rowLength), matrices[image]);
            }
        });
        return output.permute(0, 3, 1, 2);
    }

    /// <summary>How a warp reads one source sample as a float in [0, 1].</summary>
    private interface ISamples<TSample> where TSample : unmanaged
    {
        static abstract float Read(ref TSample from, int index);
    }

    private readonly struct FloatSamples : ISamples<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Read(ref float from, int index) => Unsafe.Add(ref from, index);
    }

    private readonly struct ByteSamples : ISamples<byte>
    {
        // b x (1/255f) for every byte, the float NetworkInput's rescale makes of it, so both paths blend the same values.
        private static readonly float[] Scaled = Enumerable.Range(0, 256).Select(b => b * (1f / 255f)).ToArray();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Read(ref byte from, int index) =>
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Scaled), Unsafe.Add(ref from, index));
    }

    private static void WarpRow<TSample, TSamples>(
        ReadOnlySpan<TSample> source, Span<float> target, int height, int width, int channels, int row,
        (double Rr, double Rc, double Cr, double Cc, double Tr, double Tc) m)
        where TSample : unmanaged
        where TSamples : struct, ISamples<TSample>
    {
        var (startRow, startColumn, stepRow, stepColumn) = RowStart(height, width, m, row);
        float maxRow = height - 1, maxColumn = width - 1;
        var rowLength = width * channels;
        // Indices below are clamped into the image, so unchecked element access is safe.
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(target);
        for (var j = 0; j < width; j++)
        {
            // Border padding: coordinates clipped into the image, so outside points repeat the edge pixels.
            var y = Math.Clamp(startRow + stepRow * j, 0f, maxRow);
            var x = Math.Clamp(startColumn + stepColumn * j, 0f, maxColumn);
            int y0 = (int)y, x0 = (int)x;
            float fy = y - y0, fx = x - x0;
            var down = y0 < height - 1 ? rowLength : 0;
            var right = x0 < width - 1 ? channels : 0;
            var topLeft = y0 * rowLength + x0 * channels;
            var output = j * channels;
            if (channels == 3)
            {
                // RGB unrolled: the only case the networks feed.
                Unsafe.Add(ref to, output) = Blend<TSample, TSamples>(ref from, topLeft, right, down, fx, fy);
                Unsafe.Add(ref to, output + 1) = Blend<TSample, TSamples>(ref from, topLeft + 1, right, down, fx, fy);
                Unsafe.Add(ref to, output + 2) = Blend<TSample, TSamples>(ref from, topLeft + 2, right, down, fx, fy);
                continue;
            }
            for (var c = 0; c < channels; c++)
                Unsafe.Add(ref to, output + c) = Blend<TSample, TSamples>(ref from, topLeft + c, right, down, fx, fy);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Blend<TSample, TSamples>(ref TSample from, int topLeft, int right, int down, float fx, float fy)
        where TSample : unmanaged
        where TSamples : struct, ISamples<TSample>
    {
        var a = TSamples.Read(ref from, topLeft);
        var b = TSamples.Read(ref from, topLeft + right);
        var d = TSamples.Read(ref from, topLeft + down);
        var e = TSamples.Read(ref from, topLeft + down + right);
        var top = a + fx * (b - a);
        var bottom = d + fx * (e - d);
        // A convex combination of pixels in [0, 1]; the clamp only catches rounding.
        return Math.Clamp(top + fy * (bottom - top), 0f, 1f);
    }
}
