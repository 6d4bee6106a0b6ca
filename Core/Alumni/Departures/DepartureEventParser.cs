using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Alumni;

/// <summary>What an HRIS event body turned out to be.</summary>
public abstract record DepartureEvent
{
    private DepartureEvent() { }

    public sealed record Departure(DepartureNotice Notice) : DepartureEvent;

    /// <summary>An <c>employee.hired</c>: someone joined or rejoined the company.</summary>
    public sealed record Hire(HireNotice Notice) : DepartureEvent;

    /// <summary>An <c>employee.departure.withdrawn</c>: HR took a departure back, the employee is not leaving (ADR 0041).</summary>
    public sealed record Withdrawal(WithdrawalNotice Notice) : DepartureEvent;

    /// <summary>A well-formed event of a type we do not handle.</summary>
    public sealed record Unhandled(string Type) : DepartureEvent;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : DepartureEvent;
}

/// <summary>
/// Reads an <c>employee.departed</c>, <c>employee.departure.withdrawn</c> or <c>employee.hired</c> event. Reports every problem at once; an invalid body never
/// builds a notice. Fields the network does not need are ignored, not stored.
/// </summary>
public static partial class DepartureEventParser
{
    public const string DepartedType = "employee.departed";
    public const string HiredType = "employee.hired";
    public const string WithdrawnType = "employee.departure.withdrawn";

    private static readonly Dictionary<string, DepartureReason> Reasons = new(StringComparer.Ordinal)
    {
        ["voluntary"] = DepartureReason.Voluntary,
        ["retirement"] = DepartureReason.Retirement,
        ["contract_end"] = DepartureReason.ContractEnd,
        ["involuntary"] = DepartureReason.Involuntary,
        ["other"] = DepartureReason.Other,
    };

    /// <param name="mailDomains">The company's own mail domains: a departure's personal address may not be at one (the join
    /// link it receives is a bearer link, and a work mailbox is read or forwarded by others after the person leaves).</param>
    /// <param name="eventTimeLimit">The latest <c>timestamp</c> taken: HR's clock may lead ours by a few minutes, not more.</param>
    public static DepartureEvent Parse(ReadOnlySpan<byte> body, Locale defaultLocale, Company.CompanyMailDomains mailDomains, EventTimeLimit eventTimeLimit)
    {
        var (document, errors) = StrictJson.Parse(body, maxDepth: 16, "must be a well-formed JSON object");
        if (document is null)
        {
            return new DepartureEvent.Invalid(errors);
        }

        using (document)
        {
            return Parse(document.RootElement, defaultLocale, mailDomains, eventTimeLimit);
        }
    }

    private static DepartureEvent Parse(JsonElement root, Locale defaultLocale, Company.CompanyMailDomains mailDomains, EventTimeLimit eventTimeLimit)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new DepartureEvent.Invalid([new FieldError("$", "must be a JSON object")]);
        }

        var errors = new List<FieldError>();
        var type = RequiredString(root, "type", "type", 100, errors);
        if (type == DepartureBatchParser.BatchType)
        {
            // Known, but the other endpoint's: acknowledging it as unknown would lose every night's batch without an error.
            return new DepartureEvent.Invalid([new FieldError("type", $"must be a single event; post {DepartureBatchParser.BatchType} to /api/hris/departures/batch")]);
        }

        if (type is not null && type is not (DepartedType or HiredType or WithdrawnType))
        {
            return new DepartureEvent.Unhandled(type);
        }

        // A departure's event time orders HR's messages: an older one arriving after a newer one never undoes it (ADR 0040).
        // So does a withdrawal's: it undoes the departures HR sent before it, never one sent after (ADR 0041).
        var eventAt = ReadTimestamp(root, required: type is DepartedType or WithdrawnType, eventTimeLimit, errors);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("data", "is required and must be an object"));
            return new DepartureEvent.Invalid(errors);
        }

        if (type == HiredType)
        {
            return ParseHire(data, EmployeeId(data, "data", errors), errors);
        }

        if (type == WithdrawnType)
        {
            // Only the employee id: the network needs nothing else to take a departure back.
            var employeeId = EmployeeId(data, "data", errors);
            return errors.Count == 0 ? new DepartureEvent.Withdrawal(new WithdrawalNotice(employeeId!, eventAt!.Value)) : new DepartureEvent.Invalid(errors);
        }

        var notice = ReadDeparture(data, "data", defaultLocale, mailDomains, errors);
        return notice is not null && errors.Count == 0 ? new DepartureEvent.Departure(notice with { EventAt = eventAt }) : new DepartureEvent.Invalid(errors);
    }

    /// <summary>
    /// The envelope's <c>timestamp</c>, when HR says the event happened (stable across retries). Required on a departure
    /// and on the nightly batch, where it orders HR's messages (ADR 0040); checked when present on a hire. A time beyond
    /// <paramref name="limit"/> (HR's clock wrong, a typo in the year) is refused: taken as the newest, it would make every
    /// later message about the employee look older until then.
    /// </summary>
    /// <returns>The time, or null when it is absent or broke the rule (then an error was added, if required or present).</returns>
    internal static DateTimeOffset? ReadTimestamp(JsonElement root, bool required, EventTimeLimit limit, List<FieldError> errors)
    {
        if (!root.TryGetProperty("timestamp", out var timestamp))
        {
            if (required)
            {
                errors.Add(new FieldError("timestamp", $"is required: an ISO 8601 date-time of the event with its offset (Z or ±hh:mm), and {SupportedCalendar.Rule}"));
            }

            return null;
        }

        // With its offset: one without would be read in the server's time zone and misplace HR's event by hours.
        if (timestamp.ValueKind != JsonValueKind.String || !IsoInstant.TryParse(timestamp.GetString(), out var at) || !SupportedCalendar.Contains(at))
        {
            errors.Add(new FieldError("timestamp", $"must be an ISO 8601 date-time with its offset (Z or ±hh:mm), and {SupportedCalendar.Rule}"));
            return null;
        }

        if (!limit.Allows(at))
        {
            errors.Add(new FieldError("timestamp", limit.Rule));
            return null;
        }

        return at;
    }

    /// <summary>
    /// Applies the departure rules to one object shaped like the webhook's <c>data</c>: the webhook's own (path
    /// <c>data</c>) or a batch row's (path <c>rows[12]</c>). Each problem is added to <paramref name="errors"/> under
    /// <c>{path}.{field}</c>.
    /// </summary>
    /// <returns>The notice, or null when this object broke a rule.</returns>
    internal static DepartureNotice? ReadDeparture(
        JsonElement data, string path, Locale defaultLocale, Company.CompanyMailDomains mailDomains, List<FieldError> errors)
    {
        var before = errors.Count;
        var employeeId = EmployeeId(data, path, errors);
        var givenName = RequiredString(data, "givenName", $"{path}.givenName", 100, errors);
        var familyName = RequiredString(data, "familyName", $"{path}.familyName", 100, errors);
        var emailText = RequiredString(data, "personalEmail", $"{path}.personalEmail", 254, errors);
        EmailAddress? email = null;
        if (emailText is not null && !EmailAddress.TryParse(emailText, out email))
        {
            errors.Add(new FieldError($"{path}.personalEmail", "must be a valid email address"));
        }
        else if (email is not null && mailDomains.Contains(email))
        {
            errors.Add(new FieldError($"{path}.personalEmail", mailDomains.PersonalRule));
        }

        var department = OptionalString(data, "department", $"{path}.department", 200, errors);
        var jobTitle = OptionalString(data, "jobTitle", $"{path}.jobTitle", 200, errors);
        var hireDate = Date(data, "hireDate", $"{path}.hireDate", required: false, errors);
        var lastWorkingDay = Date(data, "lastWorkingDay", $"{path}.lastWorkingDay", required: true, errors);
        if (hireDate is { } hired && lastWorkingDay is { } last && hired > last)
        {
            errors.Add(new FieldError($"{path}.hireDate", $"must not be after {path}.lastWorkingDay"));
        }

        var reasonText = RequiredString(data, "reason", $"{path}.reason", 32, errors);
        DepartureReason reason = default;
        if (reasonText is not null && !Reasons.TryGetValue(reasonText, out reason))
        {
            errors.Add(new FieldError($"{path}.reason", "must be one of voluntary, retirement, contract_end, involuntary, other"));
        }

        bool? rehireEligible = null;
        if (data.TryGetProperty("rehireEligible", out var rehire) && rehire.ValueKind != JsonValueKind.Null)
        {
            if (rehire.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                rehireEligible = rehire.GetBoolean();
            }
            else
            {
                errors.Add(new FieldError($"{path}.rehireEligible", "must be true or false when present"));
            }
        }

        var locale = defaultLocale;
        var localeText = OptionalString(data, "locale", $"{path}.locale", 16, errors);
        if (localeText is not null && !Locales.TryParse(localeText, out locale))
        {
            errors.Add(new FieldError($"{path}.locale", "must be ja-JP or en-US when present"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new DepartureNotice(
            employeeId!, givenName!, familyName!, email!, department, jobTitle, hireDate, lastWorkingDay!.Value,
            reason, rehireEligible, locale) { LocaleStated = localeText is not null };
    }

    private static string? EmployeeId(JsonElement data, string path, List<FieldError> errors)
    {
        var employeeId = RequiredString(data, "employeeId", $"{path}.employeeId", 64, errors);
        if (employeeId is not null && !EmployeeIdPattern().IsMatch(employeeId))
        {
            errors.Add(new FieldError($"{path}.employeeId", "may contain only letters, digits, '.', '_' and '-'"));
            return null;
        }

        return employeeId;
    }

    /// <summary>
    /// The hire: the employee id, the hire date and, when HR sends it, the personal address (how a rehire under a new
    /// employee id is recognised). Nothing else is read: the network does not need a new employee's data.
    /// </summary>
    private static DepartureEvent ParseHire(JsonElement data, string? employeeId, List<FieldError> errors)
    {
        var hireDate = Date(data, "hireDate", "data.hireDate", required: true, errors);
        var emailText = OptionalString(data, "personalEmail", "data.personalEmail", 254, errors);
        EmailAddress? email = null;
        if (emailText is not null && !EmailAddress.TryParse(emailText, out email))
        {
            errors.Add(new FieldError("data.personalEmail", "must be a valid email address when present"));
        }

        return errors.Count > 0 ? new DepartureEvent.Invalid(errors) : new DepartureEvent.Hire(new HireNotice(employeeId!, email, hireDate!.Value));
    }

    private static string? RequiredString(JsonElement parent, string name, string path, int maxLength, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(path, "is required"));
            return null;
        }

        return StringValue(value, path, maxLength, errors);
    }

    private static string? OptionalString(JsonElement parent, string name, string path, int maxLength, List<FieldError> errors) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? StringValue(value, path, maxLength, errors)
            : null;

    private static string? StringValue(JsonElement value, string path, int maxLength, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, "must be a string"));
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            errors.Add(new FieldError(path, "must not be empty"));
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(path, $"must be at most {maxLength} characters"));
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors.Add(new FieldError(path, "must not contain control characters"));
            return null;
        }

        return text;
    }

    private static DateOnly? Date(JsonElement parent, string name, string path, bool required, List<FieldError> errors)
    {
        var text = required ? RequiredString(parent, name, path, 10, errors) : OptionalString(parent, name, path, 10, errors);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new FieldError(path, "must be a date in the form yyyy-MM-dd"));
            return null;
        }

        if (!SupportedCalendar.Contains(date))
        {
            errors.Add(new FieldError(path, SupportedCalendar.Rule));
            return null;
        }

        return date;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex EmployeeIdPattern();
}
