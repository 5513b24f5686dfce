using System.Text;

namespace EmotionApi.Fuzz;

/// <summary>
/// Makes case n of a seed: the endpoint, a mutation family, and the request's exact bytes. Each case draws from its
/// own generator seeded by (seed, n), so a case is the same whether the run sends it first or ten-thousandth.
/// </summary>
internal sealed class CaseGenerator(Corpus corpus, int seed, string modelId)
{
    public const string Datasets = "datasets", Predict = "predict";

    private static readonly string[] OddNames =
    [
        "Positive/../../evil.png", "/Positive/absolute.png", "C:/Positive/drive.png", "Positive\\backslash.png", "Positive/nul\0.png",
        "Positive/" + new string('a', 300) + ".png", "Positive/ünïcödé-😀.png", "Positive/\u202Egnp.exe", "Positive/con.png", "Positive/ .png",
        "Positive/dots.png.", "Positive/space.png ", "Positive//double.png", "./Positive/dot.png", "Positive/./x.png", "POSITIVE/upper.png",
        "positive/lower.PNG", "Positive/no-extension", "Positive/.hidden.png", "Positive/dir.png/", "Negative/..", "Positive/%2e%2e/x.png",
        "Positive/sub/deep/x.png", "__MACOSX/Positive/._x.png", "Positive/line\r\nbreak.png", "/", "Positive/", "..", "Positive/x.zip",
        "dataset 50:50/Positive/mixed.png", "a/Positive/a.png", "b/Negative/b.png", "Positive/" + new string('b', 65_000),
    ];

    private static readonly string[] OddFileNames =
    [
        "image.png", "", "../../../etc/passwd", "C:\\boot.ini", "nul\0.png", new string('x', 5000) + ".png", "ünïcödé-😀.jpg",
        "quote\".png", "semi;colon.png", "line\r\nbreak.png", "%00.png", ".", "/", "a.zip",
    ];

    private static readonly string[] OddModelIds =
    [
        "", " ", "../../etc/passwd", "%00", "null", "00000000000000000000000000000000", "not-a-model", new string('f', 5000),
        "ünïcödé", "{0}", "' OR 1=1 --", "..%2f..%2f", "0x41", "-1",
    ];

    public FuzzCase Make(int number)
    {
        var random = new Random(CaseSeed(seed, number));
        return random.Next(100) switch
        {
            < 48 => Dataset(number, random),
            < 95 => Prediction(number, random),
            _ => Protocol(number, random),
        };
    }

    private FuzzCase Dataset(int number, Random random)
    {
        var (kind, zip, what) = random.Next(100) switch
        {
            < 10 => Kind("zip-bitflip", ByteMutations.BitFlips(random, ValidZip(random))),
            < 16 => Kind("zip-truncate", ByteMutations.Truncate(random, ValidZip(random))),
            < 24 => Kind("zip-bytes", ByteMutations.Any(random, ValidZip(random))),
            < 36 => Kind("zip-header-lie", LieRepeatedly(random, ValidZip(random))),
            < 42 => Kind("zip-method", ZipStructure.Method(random, ValidZip(random))),
            < 52 => Kind("zip-odd-names", OddNamesZip(random)),
            < 58 => Kind("zip-path-tricks", PathTricksZip(random)),
            < 62 => Kind("zip-nested", NestedZip(random)),
            < 64 => Kind("zip-bomb", Bomb(random)),
            < 78 => Kind("zip-mutated-images", MutatedImagesZip(random)),
            < 84 => Kind("zip-huge-dimensions", HugeDimensionsZip(random)),
            < 90 => Kind("zip-layout", LayoutZip(random)),
            < 94 => Kind("zip-random", RandomZip(random)),
            < 98 => Kind("zip-splice", ByteMutations.Splice(random, ValidZip(random), ValidZip(random))),
            _ => Kind("zip-refused-formats", (Zip(random, _ => Pick(random, corpus.RefusedFormats)), "TIFF and TGA images only")),
        };
        var body = new MultipartBody(Boundary(random));
        body.File("file", random.Next(20) == 0 ? Pick(random, OddFileNames) : "faces.zip", "application/zip", zip);
        if (random.Next(4) == 0) body.Field("name", random.Next(3) == 0 ? Pick(random, OddFileNames) : $"fuzz {number}");
        return new FuzzCase(number, Datasets, kind, what, "/api/datasets", body.ContentType, body.Build());
    }

    private FuzzCase Prediction(int number, Random random)
    {
        var kind = random.Next(100) switch
        {
            < 6 => "image-valid",
            < 20 => "image-bitflip",
            < 30 => "image-truncate",
            < 42 => "image-bytes",
            < 58 => "image-header-lie",
            < 64 => "image-huge-dimensions",
            < 70 => "image-splice",
            < 74 => "image-random",
            < 77 => "image-refused-formats",
            < 78 => "image-text-bomb",
            < 81 => "predict-file-count",
            < 87 => "predict-model-id",
            < 91 => "predict-not-images",
            < 93 => "predict-empty-files",
            _ => "image-mixed",
        };
        var body = new MultipartBody(Boundary(random));
        var path = "/api/predict";
        var descriptions = new List<string>();
        var files = kind == "predict-file-count" ? Pick(random, [0, 1, 64, 65, 200]) : 1 + random.Next(random.Next(4) == 0 ? 8 : 3);
        for (var i = 0; i < files; i++)
        {
            var (image, what, extension) = PredictionImage(random, kind == "image-mixed" ? Pick(random, ["image-valid", "image-bitflip", "image-header-lie", "image-truncate"]) : kind);
            descriptions.Add(what);
            var field = random.Next(30) == 0 ? Pick(random, ["file", "FILES", "", "files[]", "image"]) : random.Next(8) == 0 ? "file" : "files";
            body.File(field, random.Next(20) == 0 ? Pick(random, OddFileNames) : $"image-{i}.{extension}",
                random.Next(10) == 0 ? Pick(random, ["image/png", "application/octet-stream", "text/html", "", "x/y; z=\"", "image/jpeg"]) : "image/" + extension,
                image);
        }
        if (kind == "predict-model-id")
        {
            // The real id, one character short or long (never upper-cased: whether that changes it depends on the run's id).
            var id = random.Next(4) == 0 ? Pick(random, [modelId[..^1], modelId + "0"]) : random.Next(3) == 0 ? modelId : Pick(random, OddModelIds);
            if (random.Next(2) == 0) path += "?modelId=" + Uri.EscapeDataString(id);
            else body.Field("modelId", id);
            descriptions.Add($"modelId '{Shorten(id)}'");
        }
        return new FuzzCase(number, Predict, kind, $"{files} file(s): {string.Join("; ", descriptions.Distinct().Take(4))}", path, body.ContentType, body.Build());
    }

    private (byte[] Image, string What, string Extension) PredictionImage(Random random, string kind)
    {
        var sample = Pick(random, corpus.Images);
        var (bytes, what) = kind switch
        {
            "image-valid" => random.Next(4) == 0 ? Unusual(random, out sample) : (sample.Bytes, "valid"),
            "image-bitflip" => ByteMutations.BitFlips(random, sample.Bytes),
            "image-truncate" => ByteMutations.Truncate(random, sample.Bytes),
            "image-bytes" => ByteMutations.Any(random, sample.Bytes),
            "image-header-lie" => ImageHeaders.Lie(random, sample.Bytes),
            "image-huge-dimensions" => random.Next(2) == 0 ? Unusual(random, out sample) : ImageHeaders.Lie(random, sample.Bytes),
            "image-splice" => ByteMutations.Splice(random, sample.Bytes, Pick(random, corpus.Images).Bytes),
            "image-random" => RandomBytes(random, sample.Bytes[..Math.Min(4, sample.Bytes.Length)]),
            "image-refused-formats" => (Pick(random, corpus.RefusedFormats).Bytes, "a format the service refuses"),
            "image-text-bomb" => (corpus.Unusual.Single(u => u.Name == "png-ztxt-bomb").Bytes, "PNG with a zTXt chunk inflating to 64 MB"),
            "predict-not-images" => NotAnImage(random),
            "predict-empty-files" => ([], "empty file"),
            _ => (sample.Bytes, "valid"),
        };
        return (bytes, $"{sample.Name}: {what}", sample.Extension);
    }

    private (byte[], string) Unusual(Random random, out Sample sample)
    {
        // The 64 MB text bomb has its own kind.
        sample = Pick(random, corpus.Unusual.Where(u => u.Name != "png-ztxt-bomb").ToArray());
        return (sample.Bytes, "unusual but valid");
    }

    private static (byte[], string) NotAnImage(Random random) => random.Next(6) switch
    {
        0 => (Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"99999\" height=\"99999\"/>"), "SVG"),
        1 => (Encoding.UTF8.GetBytes("%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"), "PDF"),
        2 => (Encoding.UTF8.GetBytes("<html><body>not an image</body></html>"), "HTML"),
        3 => ([0x50, 0x4B, 0x03, 0x04, .. new byte[40]], "a zip header"),
        4 => ([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10, .. new byte[60]], "an ICO header"),
        _ => ([0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0xFF], "a TIFF header pointing past the end"),
    };

    private FuzzCase Protocol(int number, Random random)
    {
        var datasets = random.Next(2) == 0;
        var path = datasets ? "/api/datasets" : "/api/predict";
        var field = datasets ? "file" : "files";
        var payload = datasets ? ValidZip(random) : Pick(random, corpus.Images).Bytes;
        var boundary = Boundary(random);
        var valid = new MultipartBody(boundary).File(field, "x.bin", "application/octet-stream", payload).Build();
        var (kind, contentType, body) = random.Next(13) switch
        {
            0 => ("multipart-no-boundary", "multipart/form-data", valid),
            1 => ("multipart-long-boundary", $"multipart/form-data; boundary={new string('b', 200)}",
                new MultipartBody(new string('b', 200)).File(field, "x.bin", "application/octet-stream", payload).Build()),
            2 => ("multipart-unclosed", $"multipart/form-data; boundary={boundary}", new MultipartBody(boundary).File(field, "x.bin", "application/octet-stream", payload).Build(close: false)),
            3 => ("multipart-garbage-body", $"multipart/form-data; boundary={boundary}", RandomBytes(random, []).Item1),
            4 => ("multipart-huge-header", $"multipart/form-data; boundary={boundary}",
                new MultipartBody(boundary).Part($"Content-Disposition: form-data; name=\"{field}\"; filename=\"x\"\r\nX-Pad: {new string('p', 20_000)}", payload).Build()),
            5 => ("multipart-many-fields", $"multipart/form-data; boundary={boundary}", ManyFields(boundary, field, payload)),
            6 => ("multipart-no-disposition", $"multipart/form-data; boundary={boundary}", new MultipartBody(boundary).Part("Content-Type: image/png", payload).Build()),
            7 => ("multipart-filename-star", $"multipart/form-data; boundary={boundary}",
                new MultipartBody(boundary).Part($"Content-Disposition: form-data; name=\"{field}\"; filename*=UTF-8''%FF%FE%00..%2F..%2Fx", payload).Build()),
            8 => ("multipart-two-files", $"multipart/form-data; boundary={boundary}",
                new MultipartBody(boundary).File(field, "a.zip", "application/zip", payload).File(field, "b.zip", "application/zip", payload).Build()),
            9 => ("multipart-big-name-field", $"multipart/form-data; boundary={boundary}",
                new MultipartBody(boundary).Field("name", new string('n', Pick(random, [200, 2_000, 5_000_000]))).File(field, "a.zip", "application/zip", payload).Build()),
            10 => ("multipart-quoted-boundary", $"multipart/form-data; boundary=\"{boundary}\"; charset=utf-8", valid),
            11 => ("content-type-other", Pick(random, ["application/zip", "application/json", "text/plain", "image/png", "multipart/mixed; boundary=" + boundary, "", "multipart/form-data; boundary=",
                "multipart/form-data; boundary=--=_odd=boundary'()+_,-./:=?"]), payload),
            _ => ("multipart-crlf-missing", $"multipart/form-data; boundary={boundary}", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace("\r\n", "\n"))),
        };
        return new FuzzCase(number, datasets ? Datasets : Predict, kind, $"{kind} around {(datasets ? "a valid zip" : "a valid image")}", path, contentType, body);
    }

    private static byte[] ManyFields(string boundary, string field, byte[] payload)
    {
        var body = new MultipartBody(boundary);
        for (var i = 0; i < 1_100; i++) body.Field($"f{i}", "v");
        return body.File(field, "x.bin", "application/octet-stream", payload).Build();
    }

    /// <summary>A dataset zip that the service accepts: two to four images per class, in a layout it knows.</summary>
    private byte[] ValidZip(Random random) => Zip(random, _ => Pick(random, corpus.Images));

    private byte[] Zip(Random random, Func<int, Sample> images)
    {
        var top = Pick(random, ["", "", "dataset 50:50/", "Faces/"]);
        var (positive, negative) = Pick(random, [("Positive", "Negative"), ("positive", "negative"), ("POSITIVE", "NEGATIVE")]);
        var stored = random.Next(3) == 0;
        var items = new List<Corpus.ZipItem>();
        for (var i = 0; i < 2 + random.Next(3); i++)
        {
            var p = images(i);
            items.Add(new Corpus.ZipItem($"{top}{positive}/p{i}.{p.Extension}", p.Bytes, stored));
            var n = images(i);
            items.Add(new Corpus.ZipItem($"{top}{negative}/n{i}.{n.Extension}", n.Bytes, stored));
        }
        return Corpus.Zip(items);
    }

    private static (byte[], string) LieRepeatedly(Random random, byte[] zip)
    {
        var lies = new List<string>();
        for (var i = 0; i < 1 + random.Next(3); i++)
        {
            (zip, var what) = ZipStructure.Lie(random, zip);
            lies.Add(what);
        }
        return (zip, string.Join("; ", lies));
    }

    private (byte[], string) OddNamesZip(Random random)
    {
        var names = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Pick(random, OddNames)).ToList();
        var items = names.Select(name => new Corpus.ZipItem(name, Pick(random, corpus.Images).Bytes)).ToList();
        // Good entries beside the odd ones, sometimes twice under one name.
        if (random.Next(3) > 0) items.Add(new Corpus.ZipItem("Negative/n.png", corpus.Images[0].Bytes));
        if (random.Next(3) > 0) items.Add(new Corpus.ZipItem("Positive/p.png", corpus.Images[1].Bytes));
        if (random.Next(4) == 0) items.Add(new Corpus.ZipItem("Positive/p.png", corpus.Images[2].Bytes));
        return (Corpus.Zip(items), "entries " + string.Join(", ", names.Select(name => $"'{Shorten(name)}'")));
    }

    private (byte[], string) PathTricksZip(Random random)
    {
        var image = Pick(random, corpus.Images).Bytes;
        var items = new List<Corpus.ZipItem> { new("Negative/n.png", image), new("Positive/p.png", image) };
        var what = random.Next(4) switch
        {
            0 => Add(new Corpus.ZipItem("Positive/link.png", Encoding.ASCII.GetBytes("/etc/passwd"), UnixMode: 0xA1FF), "a symbolic link to /etc/passwd"),
            1 => Add(new Corpus.ZipItem("Positive/../../../../tmp/slip.png", image), "zip slip"),
            2 => Add(new Corpus.ZipItem("Positive/dir", [], UnixMode: 0x41ED), "a directory entry with content mode"),
            _ => Add(new Corpus.ZipItem("Positive/fifo.png", image, UnixMode: 0x11A4), "a FIFO entry"),
        };
        return (Corpus.Zip(items), what);

        string Add(Corpus.ZipItem item, string description)
        {
            items.Insert(random.Next(items.Count + 1), item);
            return description;
        }
    }

    private (byte[], string) NestedZip(Random random)
    {
        var inner = ValidZip(random);
        var depth = 1 + random.Next(3);
        for (var i = 1; i < depth; i++) inner = Corpus.Zip([new Corpus.ZipItem("Positive/inner.zip", inner)]);
        var asImage = random.Next(2) == 0;
        var items = new List<Corpus.ZipItem>
        {
            new(asImage ? "Positive/looks-like.png" : "Positive/inner.zip", inner),
            new("Negative/n.png", corpus.Images[0].Bytes),
        };
        if (random.Next(2) == 0) items.Add(new Corpus.ZipItem("Positive/p.png", corpus.Images[1].Bytes));
        return (Corpus.Zip(items), $"a dataset zip nested {depth} deep{(asImage ? ", named as an image" : "")}");
    }

    private (byte[], string) Bomb(Random random) => random.Next(4) switch
    {
        0 => (corpus.ArchiveBombs.Ratio, "an entry inflating 64 MB of zeros (ratio about 1,000)"),
        1 => (corpus.ArchiveBombs.ManyEntries, "20,001 entries"),
        2 => (corpus.ArchiveBombs.Overlapping, "500 central records over one 8 MB deflated entry"),
        _ => (corpus.ArchiveBombs.Nested, "a ratio bomb zip inside a class folder"),
    };

    private (byte[], string) MutatedImagesZip(Random random)
    {
        var whats = new List<string>();
        var zip = Zip(random, _ =>
        {
            var sample = Pick(random, corpus.Images);
            if (random.Next(3) == 0) return sample;
            var (bytes, what) = random.Next(3) switch
            {
                0 => ImageHeaders.Lie(random, sample.Bytes),
                1 => ByteMutations.Truncate(random, sample.Bytes),
                _ => ByteMutations.Any(random, sample.Bytes),
            };
            whats.Add($"{sample.Name}: {what}");
            return sample with { Bytes = bytes };
        });
        return (zip, whats.Count == 0 ? "valid images" : string.Join("; ", whats.Take(4)));
    }

    private (byte[], string) HugeDimensionsZip(Random random)
    {
        var whats = new List<string>();
        var zip = Zip(random, i =>
        {
            if (i > 0 && random.Next(2) == 0) return Pick(random, corpus.Images);
            if (random.Next(2) == 0)
            {
                // The 4000x3000 image decodes for real: once per zip at most, or a case would take seconds.
                var unusual = Pick(random, corpus.Unusual.Where(u => u.Name != "png-ztxt-bomb" && (i == 0 || u.Name != "png-4000x3000")).ToArray());
                whats.Add(unusual.Name);
                return unusual;
            }
            var sample = Pick(random, corpus.Images);
            var (bytes, what) = ImageHeaders.Lie(random, sample.Bytes);
            whats.Add(what);
            return sample with { Bytes = bytes };
        });
        return (zip, string.Join("; ", whats.Take(4)));
    }

    private (byte[], string) LayoutZip(Random random)
    {
        var image = Pick(random, corpus.Images).Bytes;
        return random.Next(8) switch
        {
            0 => (Corpus.Zip([]), "an empty archive"),
            1 => (Corpus.Zip([new Corpus.ZipItem("Positive/", []), new Corpus.ZipItem("Negative/", [])]), "class folders without files"),
            2 => (Corpus.Zip([new Corpus.ZipItem("Positive/p.png", image), new Corpus.ZipItem("Positive/q.png", image)]), "one class only"),
            3 => (Corpus.Zip([new Corpus.ZipItem("a/Positive/p.png", image), new Corpus.ZipItem("b/Negative/n.png", image)]), "class folders under two top folders"),
            4 => (Corpus.Zip([new Corpus.ZipItem("p.png", image), new Corpus.ZipItem("n.png", image)]), "no class folders"),
            5 => (Corpus.Zip([new Corpus.ZipItem("Positive/p.png", image), new Corpus.ZipItem("Negative/readme.txt", "text"u8.ToArray())]), "a class without images"),
            6 => (Corpus.Zip([new Corpus.ZipItem("Positive/Negative/p.png", image), new Corpus.ZipItem("Negative/Positive/n.png", image)]), "class folders inside each other"),
            _ => (Corpus.Zip([new Corpus.ZipItem("Positive/p.png", image), new Corpus.ZipItem("Negative/n.png", image), new Corpus.ZipItem("Neutral/x.png", image)]), "a third class folder"),
        };
    }

    private static (byte[], string) RandomZip(Random random) => random.Next(2) == 0
        ? RandomBytes(random, [])
        : RandomBytes(random, [0x50, 0x4B, 0x03, 0x04]);

    private static (byte[], string) RandomBytes(Random random, byte[] prefix)
    {
        var bytes = new byte[random.Next(random.Next(2) == 0 ? 64 : 65_536)];
        random.NextBytes(bytes);
        return ([.. prefix, .. bytes], $"{bytes.Length} random bytes after {prefix.Length} magic bytes");
    }

    private static (string, byte[], string) Kind(string kind, (byte[] Bytes, string What) made) => (kind, made.Bytes, made.What);

    /// <summary>Mostly plain; sometimes every character RFC 2046 allows, which the Content-Type must then quote.</summary>
    private static string Boundary(Random random) => random.Next(10) == 0 ? "--=_odd=boundary'()+_,-./:=?" : $"fuzz{random.Next():x8}";

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Shorten(string text) => text.Length <= 40 ? text.ReplaceLineEndings("\\n") : text[..37].ReplaceLineEndings("\\n") + "...";

    /// <summary>SplitMix64 of (seed, case): every case its own stream, the same on every machine.</summary>
    private static int CaseSeed(int seed, int number)
    {
        var state = ((ulong)(uint)seed << 32 | (uint)number) + 0x9E37_79B9_7F4A_7C15;
        state = (state ^ (state >> 30)) * 0xBF58_476D_1CE4_E5B9;
        state = (state ^ (state >> 27)) * 0x94D0_49BB_1331_11EB;
        return (int)((state ^ (state >> 31)) & int.MaxValue);
    }
}
