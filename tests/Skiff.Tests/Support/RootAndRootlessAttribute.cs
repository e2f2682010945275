using System.Reflection;
using Xunit.Sdk;

namespace Skiff.Tests.Support;

/// <summary>Runs a theory twice: <c>rootless: false</c> (as root) and <c>rootless: true</c> (as the test user).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RootAndRootlessAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[false], [true]];
}
