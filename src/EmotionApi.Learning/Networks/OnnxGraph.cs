using System.Buffers.Binary;
using Onnx;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// An ONNX graph read for its structure: who produces and who consumes each tensor, and the constant tensors
/// (initializers) nodes take. Lookups that find something other than what the caller expects throw
/// <see cref="InvalidDataException"/> naming the node, so an importer states its assumptions as it walks.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly GraphProto graph;
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly Dictionary<string, List<NodeProto>> consumers = new(StringComparer.Ordinal);
    private readonly HashSet<NodeProto> visited = [];

    public OnnxGraph(ModelProto model, string description)
    {
        graph = model.Graph ?? throw new InvalidDataException($"{description} holds no graph.");
        Description = description;
        initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }
        }
    }

    public string Description { get; }

    /// <summary>Reads and parses an .onnx file.</summary>
    public static OnnxGraph Read(string path)
    {
        using var stream = File.OpenRead(path);
        return new OnnxGraph(ModelProto.Parser.ParseFrom(stream), path);
    }

    /// <summary>The graph's only data input (IR 3 also lists initializers among the inputs) and its dimensions.</summary>
    public (string Name, long[] Dims) SingleInput()
    {
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1) throw Invalid($"expected one input, found {inputs.Count}");
        return (inputs[0].Name, Dims(inputs[0]));
    }

    public (string Name, long[] Dims) SingleOutput()
    {
        if (graph.Output.Count != 1) throw Invalid($"expected one output, found {graph.Output.Count}");
        return (graph.Output[0].Name, Dims(graph.Output[0]));
    }

    /// <summary>Every node that reads <paramref name="tensor"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string tensor) =>
        consumers.TryGetValue(tensor, out var list) ? list : [];

    /// <summary>The one node that reads <paramref name="tensor"/>, which must be a <paramref name="opType"/>; marked visited.</summary>
    public NodeProto OnlyConsumer(string tensor, string opType)
    {
        var readers = Consumers(tensor);
        if (readers.Count != 1 || readers[0].OpType != opType)
            throw Invalid($"expected '{tensor}' to feed one {opType} node, it feeds [{string.Join(", ", readers.Select(Describe))}]");
        return Visit(readers[0]);
    }

    /// <summary>Marks <paramref name="node"/> as accounted for by the importer.</summary>
    public NodeProto Visit(NodeProto node)
    {
        if (!visited.Add(node)) throw Invalid($"{Describe(node)} is reached twice");
        return node;
    }

    /// <summary>Throws when the walk left a node of the graph unexplained: the graph computes something the importer does not.</summary>
    public void RequireAllVisited()
    {
        var missed = graph.Node.Where(n => !visited.Contains(n)).ToList();
        if (missed.Count > 0) throw Invalid($"{missed.Count} node(s) not matched: {string.Join(", ", missed.Take(5).Select(Describe))}");
    }

    /// <summary>The constant tensor that is input <paramref name="index"/> of <paramref name="node"/>: its dimensions and float values.</summary>
    public (long[] Dims, float[] Values) Initializer(NodeProto node, int index)
    {
        if (index >= node.Input.Count || !initializers.TryGetValue(node.Input[index], out var tensor))
            throw Invalid($"input {index} of {Describe(node)} is not a constant tensor");
        return (tensor.Dims.ToArray(), Floats(tensor));
    }

    public long[] Ints(NodeProto node, string name, long[] fallback)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        return attribute is null ? fallback : attribute.Ints.ToArray();
    }

    public long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;

    public float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.F ?? fallback;

    public string Text(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.S.ToStringUtf8() ?? fallback;

    public InvalidDataException Invalid(string problem) => new($"{Description}: {problem}.");

    public static string Describe(NodeProto node) => $"{node.OpType} '{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault())}'";

    private static long[] Dims(ValueInfoProto value) =>
        value.Type?.TensorType?.Shape?.Dim.Select(d => d.DimValue).ToArray() ?? [];

    private float[] Floats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw Invalid($"tensor '{tensor.Name}' holds {(TensorProto.Types.DataType)tensor.DataType}, not float");
        var count = tensor.Dims.Aggregate(1L, (product, dim) => product * dim);
        float[] values;
        if (tensor.RawData.Length > 0)
        {
            // raw_data is little-endian whatever the machine (onnx.proto).
            var raw = tensor.RawData.Span;
            values = new float[raw.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
        }
        else
        {
            values = tensor.FloatData.ToArray();
        }
        if (values.Length != count)
            throw Invalid($"tensor '{tensor.Name}' has {values.Length} values for dimensions [{string.Join(", ", tensor.Dims)}]");
        return values;
    }
}
