using Kontakt.Core.Records;
using Kontakt.LoadTest.Data;

namespace Kontakt.Tests.LoadTest;

public sealed class IdentityKeyTests
{
    public static TheoryData<string> TrickyNames => new()
    {
        "Ada Lovelace",
        "ADA LOVELACE",
        "ada lovelace",
        "  Ada   Lovelace ",
        "Ada\u00A0Lovelace",
        "\u00A0Ada\u00A0\u00A0Lovelace\u00A0",
        "Ada\u2003\u2003Lovelace",
        "Ada\tLovelace",
        "ＡＤＡ　ＬＯＶＥＬＡＣＥ",
        "ﬁonn Ó Súilleabháin",
        "José García",
        "Jose\u0301 Garci\u0301a",
        "Jose Garcia",
        "JOSÉ GARCÍA",
        "O'Brien",
        "o'brien",
        "D\u2019Angelo",
        "L'Écuyer",
        "Dell'Orto",
        "Jürgen Groß",
        "JÜRGEN GROSS",
        "ΟΔΥΣΣΕΥΣ",
        "οδυσσευς",
        "İstanbul",
        "Dr. Mary-Ann Smith Jr.",
        "Mary Ann Smith",
        "Ǆemal",
        "ǅemal",
        "Zoë\u00A0\u00A0Saldaña  ",
        "Zero\u200B Width",
        "\uFEFFZe\u00ADro\u2060 Width\u200E",
        "Zero Width\U000E0041",
        "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
        "\u0915\u094D\u200D\u0937",
    };

    [Theory]
    [MemberData(nameof(TrickyNames))]
    public void Canonical_name_agrees_with_the_servers_identity_key(string name) =>
        Assert.Equal(NameNormalizer.ToIdentityKey(name), IdentityKey.Canonicalize(name));

    [Theory]
    [InlineData("Ada Lovelace", "ada lovelace")]
    [InlineData("ADA LOVELACE", "ada lovelace")]
    [InlineData("   ada    lovelace  ", "ada lovelace")]
    [InlineData("Ada\u00A0\u00A0Lovelace", "ada lovelace")]
    [InlineData("ＡＤＡ　ＬＯＶＥＬＡＣＥ", "ada lovelace")]
    [InlineData("Jose\u0301", "josé")]
    [InlineData("O'BRIEN", "o'brien")]
    [InlineData("ΟΔΥΣΣΕΥΣ", "οδυσσευσ")]
    [InlineData("Zero\u200B Width", "zero width")]
    [InlineData("Ze\u00ADro\uFEFF Width", "zero width")]
    [InlineData("\u0915\u094D\u200D\u0937", "\u0915\u094D\u200D\u0937")]
    public void Canonicalization_folds_case_width_and_spacing(string name, string canonical) =>
        Assert.Equal(canonical, IdentityKey.Canonicalize(name));

    [Fact]
    public void Accents_are_kept_so_accented_and_plain_names_differ() =>
        Assert.NotEqual(IdentityKey.Canonicalize("José García"), IdentityKey.Canonicalize("Jose Garcia"));

    [Fact]
    public void Apostrophe_and_hyphen_are_significant()
    {
        Assert.NotEqual(IdentityKey.Canonicalize("O'Brien"), IdentityKey.Canonicalize("OBrien"));
        Assert.NotEqual(IdentityKey.Canonicalize("Mary-Ann Smith"), IdentityKey.Canonicalize("Mary Ann Smith"));
    }

    [Fact]
    public void Same_name_in_other_case_and_spacing_with_same_dob_is_the_same_identity()
    {
        var dob = new DateOnly(1980, 4, 1);
        Assert.Equal(IdentityKey.For("Zoë Saldaña", dob), IdentityKey.For("  ZOË\u00A0\u00A0saldaña ", dob));
    }

    [Fact]
    public void Same_name_with_another_dob_is_another_identity() =>
        Assert.NotEqual(IdentityKey.For("Zoë Saldaña", new DateOnly(1980, 4, 1)), IdentityKey.For("Zoë Saldaña", new DateOnly(1980, 4, 2)));

    [Fact]
    public void Every_name_variation_keeps_the_servers_identity_key_of_plain_names()
    {
        string[] names = ["Dr. Mary-Ann O'Brien Jr.", "José María García López", "L'Écuyer Zoë", "Jürgen Groß"];
        foreach (var name in names)
        {
            foreach (var variation in NameVariations.All)
            {
                var varied = NameVariations.Apply(variation, name);
                Assert.Equal(NameNormalizer.ToIdentityKey(name), NameNormalizer.ToIdentityKey(varied));
                Assert.Equal(NameNormalizer.ToIdentityKey(varied), IdentityKey.Canonicalize(varied));
            }
        }
    }
}
