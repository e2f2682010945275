using System.CommandLine;
using Skiff.Runtime.Containers;

namespace Skiff.Cli.Commands.Oci;

/// <summary><c>skiff oci pause ID</c> and <c>skiff oci resume ID</c>: freeze and thaw a container's cgroup (runc's verbs).</summary>
public static class OciPauseCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci, bool resume)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var command = new Command(resume ? "resume" : "pause", resume ? "Resume a paused container" : "Freeze every process of a container") { id };
        command.SetAction(parseResult => oci.RunAsync(parseResult, () =>
        {
            OciRuntime runtime = OciCommand.Runtime(globals, parseResult);
            if (resume)
            {
                runtime.Resume(parseResult.GetValue(id)!);
            }
            else
            {
                runtime.Pause(parseResult.GetValue(id)!);
            }

            return 0;
        }));
        return command;
    }
}
