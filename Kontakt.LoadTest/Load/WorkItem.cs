namespace Kontakt.LoadTest.Load;

/// <summary>The records of one request: sequences <see cref="First"/> to <see cref="First"/> + <see cref="Count"/> - 1.</summary>
public readonly record struct WorkItem(int First, int Count);
