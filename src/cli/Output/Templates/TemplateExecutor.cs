using System.Collections;
using System.Text;
using Skiff.Cli.Output.Templates.Nodes;

namespace Skiff.Cli.Output.Templates;

/// <summary>Runs a parsed template over one value, with Go's text/template semantics for our value model.</summary>
internal sealed class TemplateExecutor(string name, string text, StringBuilder output, object? root, bool headerMode)
{
    private static readonly HashSet<string> HeaderPassThrough = ["json", "join", "split", "upper", "lower", "title", "truncate", "pad"];

    private readonly List<(string Name, object? Value)> variables = [("$", root)];

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public void Execute(ListNode list) => Walk(root, list);

    private Flow Walk(object? dot, ListNode list)
    {
        foreach (TemplateNode node in list.Nodes)
        {
            Flow flow = Walk(dot, node);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Walk(object? dot, TemplateNode node)
    {
        switch (node)
        {
            case TextNode textNode:
                output.Append(textNode.Text);
                return Flow.Normal;
            case ActionNode action:
                object? value = EvalPipeline(dot, action.Pipeline);
                if (action.Pipeline.Variables.Count == 0)
                {
                    GoValues.Print(output, value is null ? "<no value>" : value is MissingValue ? "<no value>" : value);
                }

                return Flow.Normal;
            case LoopControlNode control:
                return control.IsBreak ? Flow.Break : Flow.Continue;
            case BranchNode branch:
                return WalkBranch(dot, branch);
            default:
                throw Error(node, "unknown node");
        }
    }

    private Flow WalkBranch(object? dot, BranchNode branch)
    {
        int mark = variables.Count;
        try
        {
            if (branch.Kind == BranchKind.Range)
            {
                return WalkRange(dot, branch);
            }

            object? value = EvalPipeline(dot, branch.Pipeline);
            if (GoValues.IsTrue(value))
            {
                return Walk(branch.Kind == BranchKind.With ? value : dot, branch.Body);
            }

            return branch.Else is null ? Flow.Normal : Walk(dot, branch.Else);
        }
        finally
        {
            variables.RemoveRange(mark, variables.Count - mark);
        }
    }

    private Flow WalkRange(object? dot, BranchNode branch)
    {
        PipelineNode pipeline = branch.Pipeline with { Variables = [] };
        object? value = EvalPipeline(dot, pipeline);
        IEnumerable<(object? Key, object? Element)> items = value switch
        {
            null or NilValue or MissingValue => [],
            TemplateMap map => map.Select(e => ((object?)e.Key, e.Value)),
            string s => throw Error(branch, $"range can't iterate over {s}"),
            IList list => list.Cast<object?>().Select((e, i) => ((object?)(long)i, e)),
            _ when GoValues.TryInteger(value, out long n) => Enumerable.Range(0, (int)Math.Max(n, 0)).Select(i => ((object?)(long)i, (object?)(long)i)),
            _ => throw Error(branch, $"range can't iterate over {GoValues.Print(value)}"),
        };

        bool any = false;
        int mark = variables.Count;
        foreach ((object? key, object? element) in items)
        {
            any = true;
            IReadOnlyList<string> names = branch.Pipeline.Variables;
            if (names.Count == 1)
            {
                Set(names[0], element, branch.Pipeline.IsAssign);
            }
            else if (names.Count == 2)
            {
                Set(names[0], key, branch.Pipeline.IsAssign);
                Set(names[1], element, branch.Pipeline.IsAssign);
            }

            Flow flow = Walk(element, branch.Body);
            variables.RemoveRange(mark, variables.Count - mark);
            if (flow == Flow.Break)
            {
                break;
            }
        }

        if (!any && branch.Else is not null)
        {
            return Walk(dot, branch.Else);
        }

        return Flow.Normal;
    }

    private object? EvalPipeline(object? dot, PipelineNode pipeline)
    {
        object? value = null;
        bool hasFinal = false;
        foreach (CommandNode command in pipeline.Commands)
        {
            value = EvalCommand(dot, command, hasFinal, value);
            hasFinal = true;
        }

        foreach (string variable in pipeline.Variables)
        {
            Set(variable, value, pipeline.IsAssign);
        }

        return value;
    }

    private void Set(string variable, object? value, bool assign)
    {
        if (assign)
        {
            for (int i = variables.Count - 1; i >= 0; i--)
            {
                if (variables[i].Name == variable)
                {
                    variables[i] = (variable, value);
                    return;
                }
            }

            throw new TemplateException($"template: {name}: undefined variable: {variable}");
        }

        variables.Add((variable, value));
    }

    private object? EvalCommand(object? dot, CommandNode command, bool hasFinal, object? final)
    {
        TemplateNode first = command.Arguments[0];
        if (first is IdentifierNode { Name: "and" or "or" } logic && !headerMode)
        {
            return ShortCircuit(dot, command, logic.Name == "and", hasFinal, final);
        }

        if (first is IdentifierNode function)
        {
            var arguments = new List<object?>(command.Arguments.Count);
            for (int i = 1; i < command.Arguments.Count; i++)
            {
                arguments.Add(EvalArgument(dot, command.Arguments[i]));
            }

            if (hasFinal)
            {
                arguments.Add(final);
            }

            return Call(command, function.Name, arguments);
        }

        if (command.Arguments.Count > 1 || hasFinal)
        {
            return CallMethod(dot, command, hasFinal, final);
        }

        return EvalArgument(dot, first);
    }

    /// <summary>Go's <c>and</c>/<c>or</c> stop at the first argument that decides (<c>{{if and .A .A.B}}</c> is safe when .A is nil).</summary>
    private object? ShortCircuit(object? dot, CommandNode command, bool isAnd, bool hasFinal, object? final)
    {
        int count = command.Arguments.Count - 1 + (hasFinal ? 1 : 0);
        if (count < 1)
        {
            throw Error(command, $"error calling {(isAnd ? "and" : "or")}: wrong number of args for {(isAnd ? "and" : "or")}: want at least 1 got 0");
        }

        object? value = null;
        for (int i = 1; i <= count; i++)
        {
            value = i < command.Arguments.Count ? EvalArgument(dot, command.Arguments[i]) : final;
            if (GoValues.IsTrue(value) != isAnd)
            {
                return value;
            }
        }

        return value;
    }

    /// <summary>
    /// <c>{{.Created.Format "2006-01-02"}}</c>: the last field of a chain names a method of the value before it,
    /// called with the command's arguments (and a piped value last). Only <c>time.Time</c> values have methods here.
    /// </summary>
    private object? CallMethod(object? dot, CommandNode command, bool hasFinal, object? final)
    {
        TemplateNode first = command.Arguments[0];
        (object? receiver, IReadOnlyList<string> path) = first switch
        {
            FieldNode field => (dot, field.Path),
            VariableNode variable => (Lookup(variable), variable.Path),
            ChainNode chain => (EvalArgument(dot, chain.Node), chain.Path),
            _ => (null, []),
        };
        if (path.Count > 0)
        {
            receiver = EvalFields(first, receiver, path.Take(path.Count - 1).ToList());
            var arguments = new List<object?>(command.Arguments.Count);
            for (int i = 1; i < command.Arguments.Count; i++)
            {
                arguments.Add(EvalArgument(dot, command.Arguments[i]));
            }

            if (hasFinal)
            {
                arguments.Add(final);
            }

            if (receiver is DateTimeOffset time && GoTime.TryCall(time, path[^1], arguments, out object? result))
            {
                return result;
            }
        }

        throw Error(first, $"can't give argument to non-function {first}");
    }

    private object? Call(TemplateNode at, string function, List<object?> arguments)
    {
        if (headerMode && HeaderPassThrough.Contains(function))
        {
            return arguments.Count > 0 ? arguments[0] : string.Empty;
        }

        try
        {
            return TemplateFunctions.All[function](arguments);
        }
        catch (ArgumentException e)
        {
            throw Error(at, $"error calling {function}: {e.Message}");
        }
    }

    private object? EvalArgument(object? dot, TemplateNode node) => node switch
    {
        DotNode => dot,
        FieldNode field => EvalFields(field, dot, field.Path),
        VariableNode variable => EvalFields(variable, Lookup(variable), variable.Path),
        LiteralNode literal => literal.Value,
        PipelineNode pipeline => EvalPipeline(dot, pipeline),
        ChainNode chain => EvalFields(chain, EvalArgument(dot, chain.Node), chain.Path),
        IdentifierNode function => Call(function, function.Name, []),
        _ => throw Error(node, "can't evaluate"),
    };

    private object? Lookup(VariableNode variable)
    {
        for (int i = variables.Count - 1; i >= 0; i--)
        {
            if (variables[i].Name == variable.Name)
            {
                return variables[i].Value;
            }
        }

        throw new TemplateException($"template: {name}:{TemplateLexer.LineOf(text, variable.Position)}: undefined variable \"{variable.Name}\"");
    }

    private object? EvalFields(TemplateNode at, object? value, IReadOnlyList<string> path)
    {
        foreach (string field in path)
        {
            value = value switch
            {
                TemplateObject obj => obj.TryGetField(field, out object? found)
                    ? found
                    : throw Error(at, $"can't evaluate field {field} in type {obj.TypeName}"),
                TemplateMap map => map.TryGetValue(field, out object? entry) ? entry : MissingValue.Instance,
                DateTimeOffset time => GoTime.TryCall(time, field, [], out object? result)
                    ? result
                    : throw Error(at, $"can't evaluate field {field} in type time.Time"),
                NilValue nil when nil == NilValue.Map => MissingValue.Instance,
                null or MissingValue => throw Error(at, $"nil pointer evaluating interface {{}}.{field}"),
                _ => throw Error(at, $"can't evaluate field {field} in type {GoValues.TypeName(value)}"),
            };
        }

        return value;
    }

    private TemplateException Error(TemplateNode node, string message)
    {
        int line = TemplateLexer.LineOf(text, node.Position);
        int lineStart = node.Position <= 0 ? 0 : text.LastIndexOf('\n', Math.Min(node.Position, text.Length) - 1) + 1;
        int column = node.Position - lineStart;
        return new TemplateException($"template: {name}:{line}:{column}: executing \"{name}\" at <{node}>: {message}");
    }
}
