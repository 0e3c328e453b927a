using Xunit.Sdk;

namespace Wheelhouse.Testing;

/// <summary>
/// Marks a test class (or a single test) as an integration test: one that starts a process, listens on a port or
/// uses the network. <c>./build.sh unit-test</c> leaves them out, <c>./build.sh integration-test</c> runs only them
/// (tests/README.md). It is the trait <c>Category=Integration</c>, so <c>dotnet test --filter</c> selects it too.
/// </summary>
/// <remarks>
/// xunit's own <see cref="TraitDiscoverer"/> reads the trait's name and value from the constructor arguments; the
/// compiler writes the parameters' defaults into every <c>[Integration]</c>, so no discoverer of ours is needed.
/// </remarks>
[TraitDiscoverer("Xunit.Sdk.TraitDiscoverer", "xunit.core")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class IntegrationAttribute(string name = IntegrationAttribute.TraitName, string value = IntegrationAttribute.TraitValue)
    : Attribute, ITraitAttribute
{
    public const string TraitName = "Category";
    public const string TraitValue = "Integration";

    public string Name { get; } = name;

    public string Value { get; } = value;
}
