using Npgsql;

namespace Kontakt.Core.Security;

/// <summary>
/// The keys of an embedded installation: on its first start (no valid key at all) one key per
/// role, each in <c>&lt;data dir&gt;/keys/&lt;role&gt;.key</c>, readable only by the service's user.
/// </summary>
public static class EmbeddedKeys
{
    /// <summary>The name each created key gets: <c>default-</c> and the role.</summary>
    public const string NamePrefix = "default-";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The directory holding the key files.</summary>
    public static string DirectoryOf(string dataDirectory) => Path.Combine(dataDirectory, "keys");

    /// <summary>The file holding the key of <paramref name="role"/>.</summary>
    public static string FileOf(string dataDirectory, string role) => Path.Combine(DirectoryOf(dataDirectory), role + ".key");

    /// <summary>
    /// Creates and writes the keys unless some key is valid already. Keys and files are made in
    /// one transaction: if a file cannot be written, no key exists that nobody can read.
    /// </summary>
    /// <returns>Whether keys were created.</returns>
    public static async Task<bool> EnsureAsync(NpgsqlDataSource dataSource, string dataDirectory, CancellationToken cancellationToken)
    {
        if (await new ApiKeyStore(dataSource).AnyActiveAsync(cancellationToken))
        {
            return false;
        }
        CreateDirectory(DirectoryOf(dataDirectory));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var role in KontaktRoles.All)
        {
            var created = await ApiKeyStore.CreateAsync(connection, NamePrefix + role, role, cancellationToken);
            await WriteAsync(FileOf(dataDirectory, role), created.Key, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The key in <paramref name="path"/>, or null if there is no such file.</summary>
    public static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, DirectoryMode);
        if (File.GetUnixFileMode(path) != DirectoryMode)
        {
            // Only a directory left by an earlier installation; the files inside are made private from their first byte.
            File.SetUnixFileMode(path, DirectoryMode);
        }
    }

    private static async Task WriteAsync(string path, string key, CancellationToken cancellationToken)
    {
        // A file left from an earlier cluster may have other permissions; only a new file gets UnixCreateMode.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        await using var file = new FileStream(path, options);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync((key + "\n").AsMemory(), cancellationToken);
    }
}
