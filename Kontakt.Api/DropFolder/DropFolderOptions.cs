using System.ComponentModel.DataAnnotations;

namespace Kontakt.Api.DropFolder;

/// <summary>The watched drop folder (docs/imports.md, "Drop folder"). Bound from <c>Kontakt:DropFolder</c>; off while <see cref="Path"/> is unset.</summary>
public sealed class DropFolderOptions
{
    public const string Section = "Kontakt:DropFolder";

    /// <summary>The folder to watch; unset means no drop folder.</summary>
    public string? Path { get; set; }

    /// <summary>A file counts as complete once unchanged (size and time of last write) this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the folder is looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
