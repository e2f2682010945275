using System.CommandLine;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff untag IMAGE [NAME...]</c> (also <c>image untag</c>): removes names from a local image, all of them when none is given.</summary>
public static class UntagCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var image = new Argument<string>("image") { Description = "Image to untag (name or id)" };
        var names = new Argument<string[]>("name") { Arity = ArgumentArity.ZeroOrMore, Description = "Names to remove: NAME[:TAG] (default: all of the image's names)" };
        var command = new Command("untag", "Remove a name from a local image") { image, names };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            LocalImages local = ImageServices.Local(context);
            string id = local.Resolve(parse.GetValue(image)!).Id;
            foreach (string name in new ImageUntagger(local).Untag(parse.GetValue(image)!, parse.GetValue(names) ?? []))
            {
                ImageEvents.Record(context, "untag", id, name);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
