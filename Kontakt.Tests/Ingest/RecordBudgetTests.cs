using Kontakt.Core.Ingest;

namespace Kontakt.Tests.Ingest;

public sealed class RecordBudgetTests
{
    [Fact]
    public async Task Reservations_succeed_until_the_capacity_is_used()
    {
        var budget = new RecordBudget(10);
        Assert.True(await budget.TryReserveAsync(6, TimeSpan.Zero, CancellationToken.None));
        Assert.True(await budget.TryReserveAsync(4, TimeSpan.Zero, CancellationToken.None));
        Assert.False(await budget.TryReserveAsync(1, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(10, budget.InUse);
    }

    [Fact]
    public async Task A_request_larger_than_the_capacity_is_refused_at_once()
    {
        var budget = new RecordBudget(10);
        Assert.False(await budget.TryReserveAsync(11, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task A_waiting_reservation_is_granted_when_room_is_released()
    {
        var budget = new RecordBudget(10);
        Assert.True(await budget.TryReserveAsync(10, TimeSpan.Zero, CancellationToken.None));
        var waiting = budget.TryReserveAsync(5, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(5);
        Assert.True(await waiting);
        Assert.Equal(10, budget.InUse);
    }

    [Fact]
    public async Task A_wait_that_runs_out_returns_false_and_holds_nothing()
    {
        var budget = new RecordBudget(10);
        Assert.True(await budget.TryReserveAsync(10, TimeSpan.Zero, CancellationToken.None));
        Assert.False(await budget.TryReserveAsync(1, TimeSpan.FromMilliseconds(20), CancellationToken.None));
        budget.Release(10);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task Waiters_are_served_first_come_first_served_so_a_large_batch_is_not_starved()
    {
        var budget = new RecordBudget(10);
        Assert.True(await budget.TryReserveAsync(10, TimeSpan.Zero, CancellationToken.None));
        var large = budget.TryReserveAsync(8, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        var small = budget.TryReserveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();

        budget.Release(2);
        Assert.False(small.IsCompleted);
        Assert.False(await budget.TryReserveAsync(1, TimeSpan.Zero, CancellationToken.None));

        budget.Release(6);
        Assert.True(await large);
        Assert.False(small.IsCompleted);
        budget.Release(1);
        Assert.True(await small);
        Assert.Equal(10, budget.InUse);
    }
}
