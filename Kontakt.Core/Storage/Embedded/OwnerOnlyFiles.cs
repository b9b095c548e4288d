using System.Security.Cryptography;

namespace Kontakt.Core.Storage.Embedded;

/// <summary>
/// Files and directories only their owner may read: secrets are created with mode 0600 from their
/// first byte (no window between creating and restricting them), directories 0700.
/// </summary>
public static class OwnerOnlyFiles
{
    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (mode 0700) or narrows an existing directory to 0700.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, DirectoryMode);
        // A directory made by an earlier version (0755) is narrowed too.
        if (File.GetUnixFileMode(path) != DirectoryMode)
        {
            File.SetUnixFileMode(path, DirectoryMode);
        }
    }

    /// <summary>Opens a new file (mode 0600 from its creation) for writing; throws <see cref="IOException"/> if it exists.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        return new FileStream(path, options);
    }

    /// <summary>Writes <paramref name="content"/> to a new file of mode 0600; throws <see cref="IOException"/> if it exists.</summary>
    public static void WriteNew(string path, string content)
    {
        using var stream = CreateNew(path);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    /// <summary>
    /// The secret in <paramref name="path"/>, made (random, mode 0600) if the file does not exist.
    /// Two processes making it at once agree on one: each writes a file of its own and links it
    /// into place without replacing; the one that finds the name taken reads the winner's.
    /// </summary>
    public static string EnsureSecret(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var staged = $"{path}.{Guid.NewGuid():N}.new";
        WriteNew(staged, secret);
        try
        {
            File.Move(staged, path, overwrite: false);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(staged);
            return File.ReadAllText(path).Trim();
        }
    }
}
