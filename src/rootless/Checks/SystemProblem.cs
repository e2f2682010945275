namespace Skiff.Rootless.Checks;

/// <summary>One thing wrong with the machine for the current user: what, and how to fix it.</summary>
public sealed record SystemProblem(string Check, string Message, string Fix);
