using System.Security.Cryptography;

namespace Warden.Cli.Hosting;

/// <summary>
/// The HTTP listener's bearer token in a file (<c>[web] token_file</c>), made on first use: 32
/// random bytes as 64 hex digits, written with mode 0600 from the start (created that way, not
/// chmod-ed after, so no other user can open it in between). An existing file is kept as it is,
/// mode included: an admin may give Prometheus's group read access.
/// </summary>
internal static class TokenFile
{
    /// <summary>Reads the token, creating the file (and its directory, mode 0700) when missing.</summary>
    /// <returns>The token, and whether the file was created now.</returns>
    /// <exception cref="IOException">The file cannot be read or created, or holds no token.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to read or create it.</exception>
    public static (string Token, bool Created) LoadOrCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            var directory = Path.GetDirectoryName(path);
            if (directory is { Length: > 0 } && !Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
                using var writer = new StreamWriter(path, create);
                writer.WriteLine(token);
                return (token, true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use its token.
            }
        }

        var text = File.ReadAllText(path).Trim();
        if (text.Length < 16 || text.Any(char.IsWhiteSpace))
        {
            throw new IOException($"{path}: expected one token of at least 16 characters, without spaces");
        }

        return (text, false);
    }
}
