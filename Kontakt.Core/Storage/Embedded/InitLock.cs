namespace Kontakt.Core.Storage.Embedded;

/// <summary>
/// An exclusive lock on a file (<see cref="FileShare.None"/>: flock on Unix), so Kontakt processes
/// sharing one data directory initialize, start and stop its cluster one at a time. The file stays:
/// deleting it would let a waiter lock an unlinked file while a newcomer locks a new one.
/// </summary>
internal static class InitLock
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(200);

    public static async Task<FileStream> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.FileMode;
        }
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(RetryEvery, cancellationToken);
            }
            catch (IOException error)
            {
                throw new TimeoutException($"Another process held {path} for more than {timeout.TotalSeconds:0} s.", error);
            }
        }
    }
}
