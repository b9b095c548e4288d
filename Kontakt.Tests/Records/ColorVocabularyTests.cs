using Kontakt.Core.Records;

namespace Kontakt.Tests.Records;

public sealed class ColorVocabularyTests
{
    private static readonly ColorVocabulary Vocabulary = ColorVocabulary.Default;

    private static string? Canonical(string sent) => Vocabulary.TryCanonicalize(sent, out var canonical) ? canonical : null;

    [Fact]
    public void The_vocabulary_holds_both_lists_and_their_overlap_once()
    {
        Assert.Equal(148, Vocabulary.Names.Count(n => n.Sources.Contains(ColorVocabulary.CssSource)));
        Assert.Equal(949, Vocabulary.Names.Count(n => n.Sources.Contains(ColorVocabulary.XkcdSource)));
        Assert.Equal(Vocabulary.Names.Count, Vocabulary.Names.Select(n => n.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["css", "xkcd"], Vocabulary.Names.Single(n => n.Name == "teal").Sources);
        Assert.Equal(Vocabulary.Names.Select(n => n.Name).Order(StringComparer.Ordinal), Vocabulary.Names.Select(n => n.Name));
    }

    [Fact]
    public void Every_name_is_its_own_canonical_form() =>
        Assert.All(Vocabulary.Names, n => Assert.Equal(n.Name, Canonical(n.Name)));

    [Theory]
    [InlineData("  Sky   BLUE ", "sky blue")]
    [InlineData("sky\tblue", "sky blue")]
    [InlineData("SkyBlue", "skyblue")]
    [InlineData("Mint Green", "mint green")]
    [InlineData("amber", "amber")]
    [InlineData("BLUE/GREEN", "blue/green")]
    [InlineData("#FFF", "#fff")]
    [InlineData("#a0B1c2", "#a0b1c2")]
    public void Case_and_whitespace_runs_are_ignored_but_spaces_are_kept(string sent, string canonical) =>
        Assert.Equal(canonical, Canonical(sent));

    [Theory]
    [InlineData("sky  blu")]
    [InlineData("s ky blue")]
    [InlineData("#fff0")]
    [InlineData("fff")]
    [InlineData("# fff")]
    [InlineData("=red")]
    [InlineData("red;")]
    [InlineData("\u212Ahaki")]
    [InlineData("ｒｅｄ")]
    public void Anything_else_is_not_a_color(string sent) => Assert.Null(Canonical(sent));

    [Fact]
    public void Color_text_longer_than_the_bound_is_not_a_color() =>
        Assert.Null(Canonical("red" + new string(' ', ColorVocabulary.MaxLengthAsSent)));

    [Fact]
    public void The_version_identifies_the_data()
    {
        Assert.Matches("^[0-9a-f]{64}$", Vocabulary.Version);
        Assert.Same(ColorVocabulary.Default, Vocabulary);
    }
}
