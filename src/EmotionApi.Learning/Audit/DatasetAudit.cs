using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Audit;

/// <summary>One image of a dataset with its <see cref="PerceptualHash"/>: what the audit reads.</summary>
/// <param name="File">The image's name inside its dataset, as the caller wants it reported.</param>
public sealed record HashedImage(string File, EmotionClass Class, ulong Hash);

/// <summary>An image named in an audit group.</summary>
public sealed record AuditedImage(string File, EmotionClass Class);

/// <summary>
/// Images linked by near-duplicate pairs (hash distance at most the audit's near distance, chained).
/// </summary>
/// <param name="Images">In the order the audit was given them.</param>
/// <param name="MaxDistance">The largest hash distance between any two of them: 0 means identical hashes.
/// It may exceed the near distance when a chain links pictures through intermediate ones.</param>
public sealed record DuplicateGroup(IReadOnlyList<AuditedImage> Images, int MaxDistance);

/// <summary>
/// What the audit of a dataset found.
/// </summary>
/// <param name="LabelConflicts">Groups holding both classes: the same picture labelled Positive and Negative.</param>
/// <param name="Duplicates">Groups of one class: copies that count twice in training and can straddle a split.</param>
/// <param name="NearDistance">The hash distance that counted as "near".</param>
public sealed record DatasetAudit(IReadOnlyList<DuplicateGroup> LabelConflicts, IReadOnlyList<DuplicateGroup> Duplicates, int NearDistance);
