// MSBuild task: marks the GLIBCXX_3.4.31+ version needs of an ELF64 shared library as weak.
//
// Why: libLibTorchSharp.so in TorchSharp 0.107.0 was linked against GCC 13's libstdc++ and asks
// for GLIBCXX_3.4.32 only because of `_ZSt21ios_base_library_initv`, a marker nothing calls.
// Debian 12 ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30), so the loader refuses the library and
// TorchSharp reports a misleading "no reference to libtorch-cpu-linux-x64". With VER_FLG_WEAK set
// on those needs (ELF gABI, `.gnu.version_r`), glibc's loader accepts the library. Idempotent;
// on systems with a newer libstdc++ (Ubuntu 24.04, Debian 13) the weak flag changes nothing.
// Only the copy in bin/ or publish/ is touched, never the NuGet cache.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxVersionNeeds : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The first GLIBCXX_3.4.N minor that is made weak (Debian 12 has up to 30).</summary>
    public int FirstWeakMinor { get; set; } = 31;

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var bytes = File.ReadAllBytes(path);
                int changed = Patch(bytes);
                if (changed == 0) continue;
                // Write beside and rename: a running process may have the old file mapped.
                var temp = path + ".weakening";
                File.WriteAllBytes(temp, bytes);
                File.Replace(temp, path, null); // rename(2) on Unix: atomic
                Log.LogMessage(MessageImportance.High, $"Marked {changed} GLIBCXX version need(s) weak in {path}");
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning($"Could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private int Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;

        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;

            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)shoff + link * shentsize) + 0x18));

            int need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    if (IsTooNew(name) && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                        changed++;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        return changed;
    }

    private bool IsTooNew(string versionName)
    {
        const string prefix = "GLIBCXX_3.4.";
        return versionName.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(versionName.Substring(prefix.Length), out int minor)
            && minor >= FirstWeakMinor;
    }

    private static string ReadString(byte[] bytes, int start)
    {
        int end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
