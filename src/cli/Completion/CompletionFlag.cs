namespace Skiff.Cli.Completion;

/// <summary>A flag of one command as the completion scripts see it.</summary>
/// <param name="Names">Long and short spellings, e.g. <c>--quiet</c>, <c>-q</c>.</param>
/// <param name="TakesValue">True when the next word is the flag's value.</param>
/// <param name="ValueKind">What that value completes to.</param>
/// <param name="Choices">The accepted values when <paramref name="ValueKind"/> is <see cref="ValueKind.Choices"/>.</param>
public sealed record CompletionFlag(IReadOnlyList<string> Names, string Description, bool TakesValue, ValueKind ValueKind, IReadOnlyList<string> Choices);
