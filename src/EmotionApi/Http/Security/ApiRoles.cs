namespace EmotionApi.Http.Security;

/// <summary>The roles an API key can hold (<c>Auth:Keys:N:Roles</c>); each policy of <see cref="ApiPolicies"/> lists the roles it admits.</summary>
public static class ApiRoles
{
    /// <summary>Everything: what the other roles may do, plus deleting and choosing models, the jobs dashboard and metrics.</summary>
    public const string Admin = "admin";

    /// <summary>Datasets, training jobs, reading models.</summary>
    public const string Trainer = "trainer";

    /// <summary><c>POST /api/predict</c> and reading models.</summary>
    public const string Predictor = "predictor";

    /// <summary>Every role, admin last (answers list the roles that would do in this order: "trainer or admin").</summary>
    public static IReadOnlyList<string> All { get; } = [Trainer, Predictor, Admin];
}
