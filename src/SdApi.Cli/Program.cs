using System.CommandLine;
using SdApi.Cli.Commands;

// Each verb lives in Commands/<Verb>Command.cs and exposes `static Command Create()`; add it to this list.
var root = new RootCommand("sdapi: the SdApi toolkit for the Stable Diffusion API (v4 dreambooth, v6 images).");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
