namespace AlumniNetwork.Core.Tests.Architecture;

public sealed class CoreDependencyTests
{
    [Fact]
    public void Core_ReferencesNoAspNetOrHostingAssembly()
    {
        var references = typeof(Core.Alumni.Alumnus).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("AlumniNetwork.Functions", StringComparison.Ordinal));
    }
}
