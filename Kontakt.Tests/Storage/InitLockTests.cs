using Kontakt.Core.Storage.Embedded;

namespace Kontakt.Tests.Storage;

public sealed class InitLockTests
{
    [Fact]
    public async Task A_held_lock_makes_the_next_taker_wait_until_it_is_released()
    {
        var directory = Directory.CreateTempSubdirectory("kontakt-lock-");
        var path = Path.Combine(directory.FullName, "init.lock");
        try
        {
            var held = await InitLock.AcquireAsync(path, TimeSpan.FromSeconds(1), CancellationToken.None);
            await Assert.ThrowsAsync<TimeoutException>(() => InitLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));

            var waiting = InitLock.AcquireAsync(path, TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.False(waiting.IsCompleted);
            await held.DisposeAsync();
            await using var next = await waiting;
            Assert.True(File.Exists(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
