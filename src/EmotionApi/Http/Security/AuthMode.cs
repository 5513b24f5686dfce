namespace EmotionApi.Http.Security;

/// <summary><c>Auth:Mode</c>: whether the API asks for keys.</summary>
public enum AuthMode
{
    /// <summary>Callers send one of <c>Auth:Keys</c> (the default). With no key configured the API is open in Development and refuses to start elsewhere.</summary>
    ApiKeys,

    /// <summary>No authentication, on purpose (behind a gateway that authenticates, or a closed network): the API is open to anyone who reaches it.</summary>
    None,
}
