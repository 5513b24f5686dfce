using EmotionApi.Learning.IO;

namespace EmotionApi.Learning.Tests.IO;

public class DiskSpaceTests
{
    [Fact]
    public void A_write_that_found_no_room_is_told_from_other_io_failures()
    {
        // What .NET throws on Linux: the errno in HResult (ENOSPC 28, EDQUOT 122).
        var noSpace = new IOException("No space left on device : '/data/tmp/x'", 28);
        var overQuota = new IOException("Disk quota exceeded", 122);

        Assert.True(DiskSpace.IsExhausted(noSpace));
        Assert.True(DiskSpace.IsExhausted(overQuota));
        Assert.True(DiskSpace.IsExhausted(new DiskFullException("no room")));
        Assert.True(DiskSpace.IsExhausted(new InvalidOperationException("wrapped", noSpace)));
        Assert.True(DiskSpace.IsExhausted(new AggregateException(new ArgumentException(), noSpace)));

        Assert.False(DiskSpace.IsExhausted(new IOException("Permission denied", 13)));
        Assert.False(DiskSpace.IsExhausted(new FileNotFoundException("gone")));
        Assert.False(DiskSpace.IsExhausted(new InvalidOperationException("28")));
        Assert.False(DiskSpace.IsExhausted(null));
    }

    [Fact]
    public void Room_is_checked_before_a_large_write()
    {
        var folder = Path.GetTempPath();
        var free = DiskSpace.Available(folder);
        Assert.NotNull(free);

        DiskSpace.EnsureAvailable(folder, 1, "one byte");
        var error = Assert.Throws<DiskFullException>(() => DiskSpace.EnsureAvailable(folder, free.Value + (1L << 40), "A terabyte more"));
        Assert.StartsWith("A terabyte more need", error.Message);
        Assert.True(DiskSpace.IsExhausted(error));
    }
}
