using System.Net;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace AlumniNetwork.Core.Email;

/// <summary>Sends through the SendGrid v3 client, against SendGrid or the local sink (same client, other host).</summary>
public sealed class SendGridEmailSender(HttpClient httpClient, IOptions<SendGridOptions> options) : IEmailSender
{
    private readonly SendGridClient client = CreateClient(httpClient, options.Value);

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mail = MailHelper.CreateSingleEmail(
            new SendGrid.Helpers.Mail.EmailAddress(settings.FromEmail, settings.FromName),
            new SendGrid.Helpers.Mail.EmailAddress(message.To.Value, message.ToName),
            message.Subject,
            message.Text,
            message.Html);
        mail.AddCategories([.. message.Categories]);
        mail.AddCustomArgs(message.CustomArgs.ToDictionary());
        if (message.Headers.Count > 0)
        {
            mail.AddHeaders(message.Headers.ToDictionary());
        }

        foreach (var file in message.Attachments)
        {
            mail.AddAttachment(file.FileName, Convert.ToBase64String(file.Content), file.ContentType, "attachment");
        }

        var response = await client.SendEmailAsync(mail, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new EmailNotAcceptedException(response.StatusCode);
        }

        return response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.First() : "";
    }

    private static SendGridClient CreateClient(HttpClient httpClient, SendGridOptions settings)
    {
        var clientOptions = new SendGridClientOptions { ApiKey = settings.ApiKey };
        if (settings.BaseUrl is not null)
        {
            clientOptions.Host = settings.BaseUrl.ToString().TrimEnd('/');
        }

        return new SendGridClient(httpClient, clientOptions);
    }
}

public sealed class EmailNotAcceptedException(HttpStatusCode status)
    : Exception($"The email provider answered {(int)status} instead of 202 Accepted.")
{
    public HttpStatusCode Status { get; } = status;
}
