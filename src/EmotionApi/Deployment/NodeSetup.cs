using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmotionApi.Deployment;

public static class NodeSetup
{
    /// <summary>This process's roles, from configuration; registered as a service for the parts that read them later.</summary>
    /// <exception cref="InvalidOperationException">"Node:Roles" is not a valid set of roles: start-up stops here.</exception>
    public static NodeRoles AddNodeRoles(this WebApplicationBuilder builder)
    {
        var roles = builder.GetNodeRoles();
        builder.Services.TryAddSingleton(roles);
        return roles;
    }

    /// <summary>The roles configured for this process (read each call: the configuration is the source).</summary>
    public static NodeRoles GetNodeRoles(this WebApplicationBuilder builder) =>
        NodeRoles.Parse(NodeOptions.From(builder.Configuration).Roles);
}
