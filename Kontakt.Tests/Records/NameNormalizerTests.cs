using Kontakt.Core.Records;

namespace Kontakt.Tests.Records;

public sealed class NameNormalizerTests
{
    [Theory]
    [InlineData("Ada Lovelace", "ada lovelace")]
    [InlineData("ADA LOVELACE", "ada lovelace")]
    [InlineData("  ada   lovelace  ", "ada lovelace")]
    [InlineData("Ada\u00a0Lovelace", "ada lovelace")]
    [InlineData("Ada\u2003\u2003Lovelace", "ada lovelace")]
    [InlineData("ＡＤＡ　ＬＯＶＥＬＡＣＥ", "ada lovelace")]
    [InlineData("ﬁonn", "fionn")]
    [InlineData("Jose\u0301", "josé")]
    [InlineData("O'HARA248", "o'hara248")]
    public void Variants_of_one_name_share_one_key(string name, string key) =>
        Assert.Equal(key, NameNormalizer.ToIdentityKey(name));

    [Fact]
    public void Accents_are_kept_so_different_names_stay_different() =>
        Assert.NotEqual(NameNormalizer.ToIdentityKey("José"), NameNormalizer.ToIdentityKey("Jose"));

    [Fact]
    public void Composed_and_decomposed_accents_are_the_same_name() =>
        Assert.Equal(NameNormalizer.ToIdentityKey("Jos\u00e9"), NameNormalizer.ToIdentityKey("Jose\u0301"));

    [Fact]
    public void Greek_final_sigma_folds_like_sigma() =>
        Assert.Equal(NameNormalizer.ToIdentityKey("ΟΔΥΣΣΕΥΣ"), NameNormalizer.ToIdentityKey("οδυσσευς"));

    [Fact]
    public void Turkish_dotted_capital_i_folds_by_the_invariant_culture_not_turkish_rules() =>
        Assert.Equal("istanbul", NameNormalizer.ToIdentityKey("ISTANBUL"));

    [Fact]
    public void Punctuation_is_significant() =>
        Assert.NotEqual(NameNormalizer.ToIdentityKey("Mary-Ann Smith"), NameNormalizer.ToIdentityKey("Mary Ann Smith"));
}
