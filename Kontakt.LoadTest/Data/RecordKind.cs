namespace Kontakt.LoadTest.Data;

/// <summary>Why a record looks the way it does.</summary>
[Flags]
public enum RecordKind : byte
{
    /// <summary>The first record of a new identity.</summary>
    NewIdentity = 0,

    /// <summary>A record of an identity sent earlier in the run.</summary>
    Returning = 1,

    /// <summary>Returning, with the name in another case or spacing.</summary>
    NameVariant = 2,

    /// <summary>Returning, with a new favorite color.</summary>
    ColorChange = 4,
}
