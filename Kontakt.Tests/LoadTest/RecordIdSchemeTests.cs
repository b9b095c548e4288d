using System.Text.RegularExpressions;
using Kontakt.Core.Records;
using Kontakt.LoadTest.Data;

namespace Kontakt.Tests.LoadTest;

public sealed partial class RecordIdSchemeTests
{
    private static readonly int[] Sequences = [0, 1, 9, 10, 99, 12_345, 999_999, 1_000_000, 19_999_999, int.MaxValue];

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex ServerRecordIdAlphabet();

    private static RecordIdScheme NewScheme() => new(RecordIdScheme.NewRunId(DateTimeOffset.UtcNow));

    // PostgreSQL LIKE without an escape: % is any run of characters, _ is any one character.
    private static Regex LikeToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$", RegexOptions.Singleline);

    [Fact]
    public void Record_ids_use_only_the_servers_record_id_alphabet()
    {
        var ids = NewScheme();
        foreach (var sequence in Sequences)
        {
            var id = ids.For(sequence);
            Assert.Matches(ServerRecordIdAlphabet(), id);
            Assert.True(id.Length <= ids.MaxLength, $"{id} is longer than MaxLength {ids.MaxLength}");
        }
        Assert.True(ids.MaxLength <= RecordValidator.MaxRecordIdLength);
    }

    [Fact]
    public void Record_ids_round_trip_through_TryParseSequence()
    {
        var ids = NewScheme();
        foreach (var sequence in Sequences)
        {
            Assert.True(ids.TryParseSequence(ids.For(sequence), out var parsed));
            Assert.Equal(sequence, parsed);
        }
    }

    [Fact]
    public void Format_writes_the_same_id_as_For()
    {
        var ids = NewScheme();
        Span<char> buffer = stackalloc char[ids.MaxLength];
        foreach (var sequence in Sequences)
        {
            var length = ids.Format(sequence, buffer);
            Assert.Equal(ids.For(sequence), new string(buffer[..length]));
        }
    }

    [Fact]
    public void Every_record_id_matches_the_runs_like_pattern()
    {
        var ids = NewScheme();
        Assert.Equal(ids.Prefix + "%", ids.LikePattern);
        var like = LikeToRegex(ids.LikePattern);
        foreach (var sequence in Sequences)
        {
            Assert.StartsWith(ids.Prefix, ids.For(sequence), StringComparison.Ordinal);
            Assert.Matches(like, ids.For(sequence));
        }
    }

    [Fact]
    public void Run_ids_are_the_utc_time_followed_by_six_random_letters_or_digits()
    {
        var now = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var runId = RecordIdScheme.NewRunId(now);
        Assert.Matches("^20260304030607[0-9a-z]{6}$", runId);
    }

    [Fact]
    public void Runs_started_in_the_same_second_get_distinct_prefixes_that_do_not_match_each_others_ids()
    {
        var now = DateTimeOffset.UtcNow;
        var schemes = Enumerable.Range(0, 50).Select(_ => new RecordIdScheme(RecordIdScheme.NewRunId(now))).ToList();
        Assert.Equal(schemes.Count, schemes.Select(s => s.Prefix).Distinct(StringComparer.Ordinal).Count());
        foreach (var run in schemes)
        {
            var like = LikeToRegex(run.LikePattern);
            foreach (var other in schemes.Where(s => !ReferenceEquals(s, run)))
            {
                foreach (var sequence in Sequences)
                {
                    Assert.DoesNotMatch(like, other.For(sequence));
                    Assert.False(run.TryParseSequence(other.For(sequence), out _));
                }
            }
        }
    }

    [Fact]
    public void A_run_id_that_is_a_prefix_of_another_does_not_capture_its_records()
    {
        var shorter = new RecordIdScheme("abc");
        var longer = new RecordIdScheme("abc1");
        Assert.DoesNotMatch(LikeToRegex(shorter.LikePattern), longer.For(5));
        Assert.False(shorter.TryParseSequence(longer.For(5), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+5")]
    [InlineData("-5")]
    [InlineData("05")]
    [InlineData("5x")]
    [InlineData(" 5")]
    [InlineData("2147483648")]
    [InlineData("99999999999")]
    public void Ids_of_the_run_with_a_malformed_sequence_are_rejected(string digits)
    {
        var ids = new RecordIdScheme("run1");
        Assert.False(ids.TryParseSequence(ids.Prefix + digits, out _));
    }

    [Theory]
    [InlineData("run%1")]
    [InlineData("run_1")]
    [InlineData("run-1")]
    [InlineData("rün1")]
    [InlineData("run 1")]
    public void Run_ids_with_like_wildcards_or_separators_are_refused(string runId) =>
        Assert.Throws<ArgumentException>(() => new RecordIdScheme(runId));

    [Fact]
    public void Negative_sequences_have_no_id() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordIdScheme("run1").For(-1));
}
