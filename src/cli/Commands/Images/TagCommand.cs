using System.CommandLine;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff tag IMAGE TARGET...</c>: adds names to an image (podman takes several targets).</summary>
public static class TagCommand
{
    public static Command Create(GlobalOptions globals, string name = "tag")
    {
        var image = new Argument<string>("image") { Description = "Image to tag (name or id)" };
        var targets = new Argument<string[]>("target") { Arity = ArgumentArity.OneOrMore, Description = "New names: NAME[:TAG]" };
        var command = new Command(name, "Add an additional name to a local image") { image, targets };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            var tagger = new ImageTagger(ImageServices.Local(context));
            string source = parseResult.GetValue(image)!;
            int failures = 0;
            foreach (string target in parseResult.GetValue(targets)!)
            {
                try
                {
                    Skiff.Images.Store.ImageRecord tagged = tagger.Tag(source, target);
                    ImageEvents.Record(context, "tag", tagged.Id, target);
                }
                catch (Skiff.Core.Errors.SkiffException e)
                {
                    context.Error.WriteLine($"Error: {e.Message}");
                    if (e.Hint is not null && parseResult.GetValue(targets)!.Length == 1)
                    {
                        context.Error.WriteLine($"Hint: {e.Hint}");
                    }

                    failures++;
                }
            }

            return failures == 0 ? ExitCodes.Success : ExitCodes.EngineError;
        });
        return command;
    }
}
