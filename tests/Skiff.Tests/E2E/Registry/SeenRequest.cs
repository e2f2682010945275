namespace Skiff.Tests.E2E.Registry;

/// <summary>One request the <see cref="FaultProxy"/> saw: the headers fault tests assert on (null when absent).</summary>
internal sealed record SeenRequest(string Method, string Path, string? Range, string? Authorization);
