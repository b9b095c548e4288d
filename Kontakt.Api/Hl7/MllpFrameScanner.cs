using System.Buffers;

namespace Kontakt.Api.Hl7;

/// <summary>What the next bytes of a connection hold.</summary>
internal enum MllpFrameStatus
{
    /// <summary>A whole frame.</summary>
    Frame,

    /// <summary>Not a whole frame yet.</summary>
    NeedMore,

    /// <summary>Bytes outside a frame, a start byte inside one, or an end byte not followed by CR.</summary>
    Broken,

    /// <summary>The frame's content is longer than the bound.</summary>
    TooLarge,
}

/// <summary>
/// Finds MLLP frames (<c>0x0B</c> content <c>0x1C 0x0D</c>) in a connection's bytes. CR and LF between
/// frames are tolerated; any other byte there is broken framing. Bytes already searched are not searched
/// again when more arrive, so a sender that trickles a message byte by byte costs linear time.
/// </summary>
internal sealed class MllpFrameScanner(int maxMessageBytes)
{
    public const byte StartBlock = 0x0B;
    public const byte EndBlock = 0x1C;
    public const byte CarriageReturn = 0x0D;

    private long _searched;

    /// <summary>Looks for the next frame at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The unconsumed bytes.</param>
    /// <param name="frame">The frame's content (without the framing bytes), for <see cref="MllpFrameStatus.Frame"/>.</param>
    /// <param name="consumed">Where the bytes after the frame start, for <see cref="MllpFrameStatus.Frame"/>.</param>
    public MllpFrameStatus Next(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        reader.AdvancePastAny((byte)'\r', (byte)'\n');
        if (!reader.TryRead(out var first))
        {
            return MllpFrameStatus.NeedMore;
        }
        if (first != StartBlock)
        {
            return MllpFrameStatus.Broken;
        }
        var contentStart = reader.Consumed;
        if (_searched > contentStart)
        {
            reader.Advance(_searched - contentStart);
        }
        if (!reader.TryAdvanceToAny([EndBlock, StartBlock], advancePastDelimiter: false))
        {
            _searched = buffer.Length;
            return buffer.Length - contentStart > maxMessageBytes ? MllpFrameStatus.TooLarge : MllpFrameStatus.NeedMore;
        }
        var end = reader.Consumed;
        reader.TryRead(out var found);
        if (found == StartBlock)
        {
            return MllpFrameStatus.Broken;
        }
        if (end - contentStart > maxMessageBytes)
        {
            return MllpFrameStatus.TooLarge;
        }
        if (!reader.TryRead(out var afterEnd))
        {
            _searched = end;
            return MllpFrameStatus.NeedMore;
        }
        if (afterEnd != CarriageReturn)
        {
            return MllpFrameStatus.Broken;
        }
        frame = buffer.Slice(contentStart, end - contentStart);
        consumed = reader.Position;
        _searched = 0;
        return MllpFrameStatus.Frame;
    }
}
