using SdApi.Cli.Infrastructure;

// Each verb lives in Commands/<Verb>Command.cs and exposes `static Command Create()`; add it to CommandCatalog.
// CliRunner turns every error into one line on stderr and a non-zero exit code (Ctrl+C cancels the verb's token).
return await CliRunner.RunAsync(SdApiRoot.Create(), args, Console.Out, Console.Error).ConfigureAwait(false);
