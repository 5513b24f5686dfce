using Microsoft.Extensions.Options;

namespace EmotionApi.Shared;

public static class ValidatedOptions
{
    /// <summary>
    /// Options bound from a configuration section and checked by their data annotations when the host starts, so a
    /// bad value stops the start with a message naming the key, not the first request that reads it.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
