using System.Globalization;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Outreach;

/// <summary>What a SendGrid event webhook body turned out to be.</summary>
public abstract record EmailEventBatch
{
    private EmailEventBatch() { }

    /// <param name="Unknown">Well-formed events of a type we do not handle, left out of <paramref name="Events"/>.</param>
    public sealed record Parsed(IReadOnlyList<EmailEvent> Events, int Unknown) : EmailEventBatch;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : EmailEventBatch;
}

/// <summary>
/// Reads a SendGrid Event Webhook batch: a JSON array of events, our custom arguments (<c>alumnusId</c>, <c>campaign</c>, <c>sendId</c>)
/// merged into each. The whole batch is validated before anything is built, and every problem is reported with its
/// path (<c>[3].sg_event_id</c>), so a bad event never lets half a batch through.
/// </summary>
/// <remarks>
/// An event of a type we do not know needs only its <c>event</c> name: SendGrid adds types (account status changes carry
/// no <c>email</c>), and refusing a batch for one would make SendGrid retry, then drop, every good event beside it.
/// A <c>bounce</c> is read with its <c>type</c>: <c>blocked</c> becomes <see cref="EmailEventType.Blocked"/>. A <c>dropped</c>
/// is read with its <c>reason</c>: one about the message rather than the address becomes <see cref="EmailEventType.DroppedMessage"/>.
/// </remarks>
public static class SendGridEventParser
{
    private const int MaxIdLength = 256;
    private const int MaxNameLength = 256;

    private static readonly Dictionary<string, EmailEventType> Types = new(StringComparer.Ordinal)
    {
        ["processed"] = EmailEventType.Processed,
        ["dropped"] = EmailEventType.Dropped,
        ["delivered"] = EmailEventType.Delivered,
        ["deferred"] = EmailEventType.Deferred,
        ["bounce"] = EmailEventType.Bounce,
        ["open"] = EmailEventType.Open,
        ["click"] = EmailEventType.Click,
        ["spamreport"] = EmailEventType.SpamReport,
        ["unsubscribe"] = EmailEventType.Unsubscribe,
        ["group_unsubscribe"] = EmailEventType.GroupUnsubscribe,
        ["group_resubscribe"] = EmailEventType.GroupResubscribe,
    };

    public static EmailEventBatch Parse(ReadOnlySpan<byte> body)
    {
        var (document, errors) = StrictJson.Parse(body, maxDepth: 16, "must be a well-formed JSON array of events");
        if (document is null)
        {
            return new EmailEventBatch.Invalid(errors);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    private static EmailEventBatch Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return new EmailEventBatch.Invalid([new FieldError("$", "must be a JSON array of events")]);
        }

        var errors = new List<FieldError>();
        var events = new List<EmailEvent>();
        var unknown = 0;
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var path = $"[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(path, "must be an event object"));
                continue;
            }

            var typeName = RequiredString(element, "event", path, MaxNameLength, errors);
            if (typeName is not null && !Types.ContainsKey(typeName))
            {
                unknown++;
                continue;
            }

            if (ParseEvent(element, typeName is null ? null : Types[typeName], path, errors) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return errors.Count > 0 ? new EmailEventBatch.Invalid(errors) : new EmailEventBatch.Parsed(events, unknown);
    }

    private static EmailEvent? ParseEvent(JsonElement element, EmailEventType? type, string path, List<FieldError> errors)
    {
        var before = errors.Count;
        var eventId = RequiredString(element, "sg_event_id", path, MaxIdLength, errors);

        var emailText = RequiredString(element, "email", path, 254, errors);
        EmailAddress? email = null;
        if (emailText is not null && !EmailAddress.TryParse(emailText, out email))
        {
            errors.Add(new FieldError($"{path}.email", "must be a valid email address"));
        }

        DateTimeOffset? at = null;
        if (!element.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var seconds) ||
            !SupportedCalendar.ContainsUnixSeconds(seconds))
        {
            errors.Add(new FieldError($"{path}.timestamp", "is required and must be a unix time in seconds, up to the end of 2199"));
        }
        else
        {
            at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        AlumnusId? alumnusId = null;
        if (OptionalString(element, "alumnusId", path, MaxIdLength, errors) is { } idText)
        {
            if (AlumnusId.TryParse(idText, out var parsedId))
            {
                alumnusId = parsedId;
            }
            else
            {
                errors.Add(new FieldError($"{path}.alumnusId", "must be 32 lower-case hex characters when present"));
            }
        }

        SendId? sendId = null;
        if (OptionalString(element, SendId.CustomArg, path, MaxIdLength, errors) is { } sendIdText)
        {
            if (SendId.TryParse(sendIdText, out var parsedSendId))
            {
                sendId = parsedSendId;
            }
            else
            {
                errors.Add(new FieldError($"{path}.{SendId.CustomArg}", "must be campaign/alumnusId/attempt when present"));
            }
        }

        var campaign = OptionalString(element, "campaign", path, MaxNameLength, errors);
        var categories = Categories(element, path, errors);
        if (type == EmailEventType.Bounce)
        {
            type = BounceType(element, path, errors);
        }
        else if (type == EmailEventType.Dropped)
        {
            type = DropType(element);
        }

        return errors.Count > before || type is null
            ? null
            : new EmailEvent(eventId!, type.Value, email!, at!.Value, alumnusId, campaign, categories) { SendId = sendId, Internal = IsInternal(element) };
    }

    /// <summary>Our custom arg <c>internal</c> (a string, as custom args are); anything but <c>true</c> reads as not internal.</summary>
    private static bool IsInternal(JsonElement element) =>
        element.TryGetProperty("internal", out var value) && value.ValueKind == JsonValueKind.String &&
        string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A bounce's <c>type</c>: <c>blocked</c> is the receiving server refusing this message for now (our IP, our content),
    /// which says nothing about the address. Absent (SendGrid's older payloads) or any other value is read as a bounce:
    /// refusing the batch would lose the good events beside it, and ignoring it could keep mailing a dead address, so an
    /// unknown kind keeps the stricter effect it had before <c>type</c> was read.
    /// </summary>
    private static EmailEventType BounceType(JsonElement element, string path, List<FieldError> errors) =>
        OptionalString(element, "type", path, MaxNameLength, errors) == "blocked" ? EmailEventType.Blocked : EmailEventType.Bounce;

    /// <summary>
    /// SendGrid's drop reasons that say the address must not be mailed: it bounced, reported spam, unsubscribed or is not
    /// a valid address. The others (<c>Spam Content (if Spam Checker app enabled)</c>, <c>Invalid SMTPAPI header</c>,
    /// <c>Recipient List over Package Quota</c>) are about one message or our account.
    /// </summary>
    private static readonly HashSet<string> AddressDropReasons = new(StringComparer.OrdinalIgnoreCase)
    {
        "Bounced Address",
        "Spam Reporting Address",
        "Unsubscribed Address",
        "Invalid",
    };

    /// <summary>
    /// A drop's <c>reason</c>: only an address reason suppresses. Absent, it stays a drop of the address (the stricter
    /// effect it had before <c>reason</c> was read); any other reason only settles the send, since suppressing the address
    /// for a message's fault would stop even transactional mail to someone who can receive it.
    /// </summary>
    /// <remarks>The reason is free text from SendGrid and is only compared, so a malformed one never refuses the batch.</remarks>
    private static EmailEventType DropType(JsonElement element) =>
        element.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String &&
        reason.GetString()!.Trim() is { Length: > 0 } text && !AddressDropReasons.Contains(text)
            ? EmailEventType.DroppedMessage
            : EmailEventType.Dropped;

    /// <summary>SendGrid sends <c>category</c> as a string for one category and as an array for several.</summary>
    private static string[] Categories(JsonElement element, string path, List<FieldError> errors)
    {
        if (!element.TryGetProperty("category", out var category) || category.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (category.ValueKind == JsonValueKind.String)
        {
            return [category.GetString()!];
        }

        if (category.ValueKind == JsonValueKind.Array && category.EnumerateArray().All(c => c.ValueKind == JsonValueKind.String))
        {
            return category.EnumerateArray().Select(c => c.GetString()!).ToArray();
        }

        errors.Add(new FieldError($"{path}.category", "must be a string or an array of strings when present"));
        return [];
    }

    private static string? RequiredString(JsonElement parent, string name, string path, int maxLength, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError($"{path}.{name}", "is required"));
            return null;
        }

        return StringValue(value, $"{path}.{name}", maxLength, errors);
    }

    private static string? OptionalString(JsonElement parent, string name, string path, int maxLength, List<FieldError> errors) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? StringValue(value, $"{path}.{name}", maxLength, errors)
            : null;

    private static string? StringValue(JsonElement value, string field, int maxLength, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(field, "must be a string"));
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            errors.Add(new FieldError(field, "must not be empty"));
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(field, string.Create(CultureInfo.InvariantCulture, $"must be at most {maxLength} characters")));
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors.Add(new FieldError(field, "must not contain control characters"));
            return null;
        }

        return text;
    }
}
