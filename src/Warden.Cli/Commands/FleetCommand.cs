using System.CommandLine;
using Warden.Core.Fleet;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden fleet keygen NAME --dir DIR</c>: a node's signing key pair for ban sharing.
/// <c>DIR/NAME.key</c> (mode 0600) stays on the node as its <c>key_file</c>; <c>DIR/NAME.pub</c>
/// goes into every other node's <c>peers_dir</c>.
/// </summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The node's name (its [fleet] node = NAME)" };
        var dir = new Option<string>("--dir") { Description = "Where to write NAME.key and NAME.pub", Required = true };
        var keygen = new Command("keygen", "Write a node's signing key pair (NAME.key, mode 0600, and NAME.pub)") { name, dir };
        keygen.SetAction(async (result, cancellationToken) =>
        {
            var node = result.GetValue(name)!;
            var directory = result.GetValue(dir)!;
            if (!DecisionText.IsName(node))
            {
                await Console.Error.WriteLineAsync($"error: node name '{node}' must be 1-64 letters, digits, '.', '_' or '-'");
                return 2;
            }

            var keyPath = Path.Combine(directory, node + ".key");
            var pubPath = Path.Combine(directory, node + ".pub");
            try
            {
                Directory.CreateDirectory(directory);
                var keys = FleetKeys.Generate();

                // CreateNew with the mode given at creation: the private key is never readable by
                // others, not even for a moment, and an existing key is never overwritten.
                await using (var key = new FileStream(keyPath, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }))
                await using (var writer = new StreamWriter(key))
                {
                    await writer.WriteAsync(keys.PrivatePem.AsMemory(), cancellationToken);
                    await writer.WriteAsync("\n".AsMemory(), cancellationToken);
                }

                await File.WriteAllTextAsync(pubPath, keys.PublicPem + "\n", cancellationToken);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"error: {keyPath}: {ex.Message}");
                return 1;
            }
            catch (UnauthorizedAccessException ex)
            {
                await Console.Error.WriteLineAsync($"error: {directory}: {ex.Message}");
                return 1;
            }

            Console.Out.WriteLine($"wrote {keyPath} (private, keep on {node}) and {pubPath} (copy into every peer's peers_dir)");
            return 0;
        });
        return new Command("fleet", "Ban sharing between hosts") { keygen };
    }
}
