using Microsoft.AspNetCore.Authorization;

namespace EmotionApi.Http.Security;

/// <summary>
/// The authorization policies of the API, by name: an endpoint (better, its route group, so that new endpoints inherit
/// it) calls <c>RequireAuthorization(ApiPolicies.X)</c>. Several policies on one endpoint all apply, so a group's policy
/// plus an endpoint's narrows the roles (a models group that <see cref="ReadModels"/> with a delete that needs
/// <see cref="Admin"/>: admin only). Without an API key configured (Development, or <c>Auth:Mode</c> None) every policy admits everyone.
/// </summary>
public static class ApiPolicies
{
    /// <summary>admin: deleting models, choosing the default model, the jobs dashboard, metrics.</summary>
    public const string Admin = "admin";

    /// <summary>trainer or admin: datasets and training jobs (reading them included), and tuning a model (its threshold).</summary>
    public const string Train = "train";

    /// <summary>trainer, predictor or admin: reading models, their results, plots and files.</summary>
    public const string ReadModels = "read-models";

    /// <summary>predictor or admin: predictions and their explanations.</summary>
    public const string Predict = "predict";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>
    {
        [Admin] = [ApiRoles.Admin],
        [Train] = [ApiRoles.Trainer, ApiRoles.Admin],
        [ReadModels] = [ApiRoles.Trainer, ApiRoles.Predictor, ApiRoles.Admin],
        [Predict] = [ApiRoles.Predictor, ApiRoles.Admin],
    };

    /// <summary>
    /// The roles that pass every policy an endpoint names (several all apply), in <see cref="ApiRoles.All"/>'s order; an
    /// endpoint that names none takes any key (the fallback), so every role.
    /// </summary>
    public static IReadOnlyList<string> RolesAdmittedBy(IEnumerable<IAuthorizeData> authorize)
    {
        var sets = authorize.Select(data => data.Policy).OfType<string>().Select(policy => Roles[policy]).ToList();
        return ApiRoles.All.Where(role => sets.All(set => set.Contains(role))).ToList();
    }
}
