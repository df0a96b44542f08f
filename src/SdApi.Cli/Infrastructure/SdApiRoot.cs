using System.CommandLine;
using SdApi.Cli.Commands;

namespace SdApi.Cli.Infrastructure;

/// <summary>The `sdapi` root command with every verb from <see cref="CommandCatalog"/>.</summary>
internal static class SdApiRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "sdapi: the SdApi toolkit for the Stable Diffusion API (v4 dreambooth, v6 images)." + Environment.NewLine + Environment.NewLine +
            "Example:" + Environment.NewLine + "  sdapi generate text2img --base-url http://127.0.0.1:5000 --prompt \"a red fox\"");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }
}
