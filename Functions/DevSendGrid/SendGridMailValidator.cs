using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Functions.DevSendGrid;

/// <summary>A field error in SendGrid's own error format.</summary>
public sealed record SendGridError(string? Field, string Message);

/// <summary>
/// Checks a v3 <c>mail/send</c> body as SendGrid does, so a mail the sink accepts is one SendGrid would accept:
/// personalizations (1 to 1,000, each with a recipient), at most 1,000 recipients, each address once in the request,
/// recipient names without ';' or ',', substitutions and headers of string values (substitutions under 10,000 bytes per
/// personalization, no reserved headers), a valid from address, a subject, content (text/plain first), at most 10
/// categories of up to 255 characters, custom_args objects of string values under 10,000 bytes, send_at at most 72 hours ahead, attachments with a file name, base64 content and a type without CR/LF whose only
/// parameter may be <c>method</c>.
/// </summary>
/// <remarks>
/// SendGrid's pages disagree on the substitution limit (the v3 reference says 10,000 bytes per personalization, the
/// substitution-tag guide 50,000): the sink holds the stricter, so what passes here passes there.
/// </remarks>
public static class SendGridMailValidator
{
    public const int MaxPersonalizations = 1000;
    public const int MaxRecipients = 1000;
    public const int MaxCategories = 10;
    public const int MaxCustomArgsBytes = 10_000;
    public const int MaxSubstitutionBytes = 10_000;

    /// <summary>Headers SendGrid sets itself and refuses in <c>headers</c> (compared ignoring case).</summary>
    public static IReadOnlySet<string> ReservedHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "x-sg-id", "x-sg-eid", "received", "dkim-signature", "Content-Type", "Content-Transfer-Encoding",
        "To", "From", "Subject", "Reply-To", "CC", "BCC",
    };

    public static IReadOnlyList<SendGridError> Validate(JsonElement mail, DateTimeOffset now)
    {
        var errors = new List<SendGridError>();
        if (mail.ValueKind != JsonValueKind.Object)
        {
            return [new SendGridError(null, "Bad Request")];
        }

        var hasTemplate = mail.TryGetProperty("template_id", out var template) && template.ValueKind == JsonValueKind.String;
        var topSubject = NonEmptyString(mail, "subject");
        ValidatePersonalizations(mail, topSubject || hasTemplate, errors);
        ValidateFrom(mail, errors);
        if (!hasTemplate)
        {
            ValidateContent(mail, errors);
        }

        ValidateHeaders(mail, "headers", errors);
        ValidateCategories(mail, errors);
        ValidateCustomArgs(mail, errors);
        ValidateAttachments(mail, errors);
        if (mail.TryGetProperty("send_at", out var sendAt) &&
            (!sendAt.TryGetInt64(out var at) || at > now.AddHours(72).ToUnixTimeSeconds()))
        {
            errors.Add(new SendGridError("send_at", "The send_at parameter must be a unix timestamp no more than 72 hours in the future."));
        }

        return errors;
    }

    private static void ValidatePersonalizations(JsonElement mail, bool subjectElsewhere, List<SendGridError> errors)
    {
        if (!mail.TryGetProperty("personalizations", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            errors.Add(new SendGridError("personalizations", "The personalizations field is required and must have at least one personalization."));
            return;
        }

        if (list.GetArrayLength() > MaxPersonalizations)
        {
            errors.Add(new SendGridError("personalizations", $"The personalizations field may not contain more than {MaxPersonalizations} personalizations."));
        }

        var recipients = 0;
        var index = 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var personalization in list.EnumerateArray())
        {
            var path = $"personalizations.{index++}";
            if (personalization.ValueKind != JsonValueKind.Object)
            {
                errors.Add(InvalidType(path, "object", personalization));
                continue;
            }

            if (!personalization.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Array || to.GetArrayLength() == 0)
            {
                errors.Add(new SendGridError($"{path}.to", "The to array is required for all personalization objects, and must have at least one email object with a valid email address."));
            }

            foreach (var field in new[] { "to", "cc", "bcc" })
            {
                if (!personalization.TryGetProperty(field, out var addresses) || addresses.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var address in addresses.EnumerateArray())
                {
                    recipients++;
                    if (!ValidAddress(address))
                    {
                        errors.Add(new SendGridError($"{path}.{field}", "Does not contain a valid address."));
                    }
                    else if (!seen.Add(address.GetProperty("email").GetString()!))
                    {
                        errors.Add(new SendGridError($"{path}.{field}", "Each unique email address in the personalizations array should only be included once."));
                    }

                    if (address.ValueKind == JsonValueKind.Object && address.TryGetProperty("name", out var name) &&
                        (name.ValueKind != JsonValueKind.String || name.GetString()!.AsSpan().IndexOfAny(';', ',') >= 0))
                    {
                        errors.Add(new SendGridError($"{path}.{field}", "The name of a recipient cannot include either the ; or , characters."));
                    }
                }
            }

            ValidateSubstitutions(personalization, path, errors);
            ValidateHeaders(personalization, $"{path}.headers", errors);

            if (!subjectElsewhere && !NonEmptyString(personalization, "subject"))
            {
                errors.Add(new SendGridError("subject", "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined."));
            }
        }

        if (recipients > MaxRecipients)
        {
            errors.Add(new SendGridError("personalizations", $"The total number of recipients must be no more than {MaxRecipients}."));
        }
    }

    private static void ValidateSubstitutions(JsonElement personalization, string path, List<SendGridError> errors)
    {
        if (!personalization.TryGetProperty("substitutions", out var substitutions))
        {
            return;
        }

        if (!IsStringMap(substitutions))
        {
            errors.Add(new SendGridError($"{path}.substitutions", "Substitutions must be an object of string keys and string values."));
        }
        else if (substitutions.EnumerateObject().Any(p => p.Name.Length == 0))
        {
            errors.Add(new SendGridError($"{path}.substitutions", "Substitution tags must not be empty."));
        }
        else if (substitutions.EnumerateObject().Sum(p => Encoding.UTF8.GetByteCount(p.Name) + Encoding.UTF8.GetByteCount(p.Value.GetString()!)) >= MaxSubstitutionBytes)
        {
            errors.Add(new SendGridError($"{path}.substitutions", $"The total size of the substitutions in a personalization must be less than {MaxSubstitutionBytes} bytes."));
        }
    }

    private static void ValidateHeaders(JsonElement owner, string field, List<SendGridError> errors)
    {
        if (!owner.TryGetProperty("headers", out var headers))
        {
            return;
        }

        if (!IsStringMap(headers))
        {
            errors.Add(new SendGridError(field, "Headers must be an object of string keys and string values."));
        }
        else if (headers.EnumerateObject().Select(h => h.Name).FirstOrDefault(ReservedHeaders.Contains) is { } reserved)
        {
            errors.Add(new SendGridError(field, $"The header {reserved} is reserved and cannot be set."));
        }
    }

    private static bool IsStringMap(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String);

    private static void ValidateFrom(JsonElement mail, List<SendGridError> errors)
    {
        if (!mail.TryGetProperty("from", out var from) || !ValidAddress(from))
        {
            errors.Add(new SendGridError("from.email", "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter."));
        }
    }

    private static void ValidateContent(JsonElement mail, List<SendGridError> errors)
    {
        if (!mail.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0)
        {
            errors.Add(new SendGridError("content", "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block."));
            return;
        }

        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (!NonEmptyString(block, "type") || !NonEmptyString(block, "value"))
            {
                errors.Add(new SendGridError($"content.{index}", "Content blocks need a type and a value of at least one character."));
            }
            else if (index > 0 && block.GetProperty("type").GetString() == "text/plain")
            {
                errors.Add(new SendGridError($"content.{index}.type", "The text/plain content type must be first when several content types are given."));
            }

            index++;
        }
    }

    private static void ValidateCategories(JsonElement mail, List<SendGridError> errors)
    {
        if (!mail.TryGetProperty("categories", out var categories))
        {
            return;
        }

        if (categories.ValueKind != JsonValueKind.Array || categories.GetArrayLength() > MaxCategories)
        {
            errors.Add(new SendGridError("categories", $"You may not have more than {MaxCategories} categories per request."));
            return;
        }

        if (categories.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String || c.GetString()!.Length > 255))
        {
            errors.Add(new SendGridError("categories", "A category name cannot exceed 255 characters."));
        }
    }

    /// <summary>
    /// custom_args, at the top and in each personalization: an object of string values (SendGrid refuses any other
    /// type), the top-level one and the largest personalization's together under the byte limit.
    /// </summary>
    private static void ValidateCustomArgs(JsonElement mail, List<SendGridError> errors)
    {
        var size = CustomArgsSize(mail, "custom_args", errors);
        if (mail.TryGetProperty("personalizations", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            size += list.EnumerateArray().Select((p, i) => p.ValueKind == JsonValueKind.Object ? CustomArgsSize(p, $"personalizations.{i}.custom_args", errors) : 0)
                .DefaultIfEmpty(0).Max();
        }

        if (size >= MaxCustomArgsBytes)
        {
            errors.Add(new SendGridError("custom_args", $"The custom_args must total less than {MaxCustomArgsBytes} bytes."));
        }
    }

    private static int CustomArgsSize(JsonElement owner, string field, List<SendGridError> errors)
    {
        if (!owner.TryGetProperty("custom_args", out var args))
        {
            return 0;
        }

        if (args.ValueKind != JsonValueKind.Object)
        {
            errors.Add(InvalidType(field, "object", args));
        }
        else
        {
            errors.AddRange(args.EnumerateObject().Where(a => a.Value.ValueKind != JsonValueKind.String).Select(a => InvalidType($"{field}.{a.Name}", "string", a.Value)));
        }

        return Encoding.UTF8.GetByteCount(args.GetRawText());
    }

    /// <summary>SendGrid's JSON-schema answer to a value of the wrong type.</summary>
    private static SendGridError InvalidType(string field, string expected, JsonElement given) =>
        new(field, $"Invalid type. Expected: {expected}, given: {SchemaType(given)}.");

    private static string SchemaType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static void ValidateAttachments(JsonElement mail, List<SendGridError> errors)
    {
        if (!mail.TryGetProperty("attachments", out var attachments))
        {
            return;
        }

        var index = 0;
        foreach (var file in attachments.ValueKind == JsonValueKind.Array ? attachments.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            if (!NonEmptyString(file, "filename"))
            {
                errors.Add(new SendGridError($"attachments.{index}.filename", "The attachment filename parameter is required."));
            }

            if (!NonEmptyString(file, "content") || !Convert.TryFromBase64String(file.GetProperty("content").GetString()!, new byte[file.GetProperty("content").GetString()!.Length], out _))
            {
                errors.Add(new SendGridError($"attachments.{index}.content", "The attachment content must be base64 encoded."));
            }

            if (file.ValueKind == JsonValueKind.Object && file.TryGetProperty("type", out var type) && !AcceptedAttachmentType(type))
            {
                errors.Add(new SendGridError($"attachments.{index}.type", "The attachment type cannot contain ';', or CRLF characters."));
            }

            index++;
        }
    }

    /// <summary>SendGrid adds the charset itself and refuses CR/LF and any parameter but <c>method</c> (which calendar
    /// invitations need), answering with the message about ';'.</summary>
    private static bool AcceptedAttachmentType(JsonElement type) =>
        type.ValueKind == JsonValueKind.String && type.GetString()!.IndexOfAny(['\r', '\n']) < 0 &&
        type.GetString()!.Split(';').Skip(1).All(p => p.Split('=')[0].Trim().Equals("method", StringComparison.OrdinalIgnoreCase));

    private static bool ValidAddress(JsonElement address) =>
        address.ValueKind == JsonValueKind.Object && address.TryGetProperty("email", out var email) &&
        email.ValueKind == JsonValueKind.String && EmailAddress.TryParse(email.GetString(), out _);

    private static bool NonEmptyString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;
}
