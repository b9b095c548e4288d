namespace Kontakt.LoadTest.Data;

/// <summary>A generated person: the name as first sent and the date of birth.</summary>
public readonly record struct GeneratedIdentity(string Name, DateOnly Dob);
