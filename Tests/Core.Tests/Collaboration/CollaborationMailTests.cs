using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;

namespace AlumniNetwork.Core.Tests.Collaboration;

/// <summary>The requester's answer mail says which request it answers, in both languages, with their text escaped.</summary>
public sealed class CollaborationMailTests
{
    // 15:30 UTC on 4 January is 00:30 on 5 January in Tokyo: the date printed is the company's.
    private static readonly DateTimeOffset Created = new(2027, 1, 4, 15, 30, 0, TimeSpan.Zero);
    private const string Reason = "決済の<b>共同提案</b> & \"PoC\"\n2行目";

    private static EmailMessage Answer(RequestStatus status)
    {
        var alumnus = Builders.Alumnus(Created.AddDays(-200), AlumnusStatus.Joined);
        var request = new CollaborationRequest(CollaborationRequest.NewId(), alumnus.Id, RequesterKind.Employee, "佐藤 一郎", "法人営業部",
            EmailAddress.Parse("sato@corp.example.com"), Reason, Confidentiality.Normal, status, Created, "admin-1");
        return CollaborationMail.Answer(request, alumnus, null, "Example", new CompanyCalendar(Builders.Company()));
    }

    [Theory]
    [InlineData(RequestStatus.Accepted)]
    [InlineData(RequestStatus.Declined)]
    public void Answer_NamesTheRequestsReasonAndDate_InJapaneseAndEnglish(RequestStatus status)
    {
        var mail = Answer(status);

        foreach (var part in new[] { mail.Html, mail.Text })
        {
            Assert.Contains("ご依頼日: 2027年1月5日 00:30 (Asia/Tokyo)", part, StringComparison.Ordinal);
            Assert.Contains("Requested on 5 January 2027, 00:30 (Asia/Tokyo)", part, StringComparison.Ordinal);
            Assert.Contains("ご依頼の内容", part, StringComparison.Ordinal);
            Assert.Contains("Your request", part, StringComparison.Ordinal);
        }

        // The text part holds the reason as typed, once per language.
        Assert.Equal(2, mail.Text.Split(Reason).Length - 1);
    }

    [Theory]
    [InlineData(RequestStatus.Accepted)]
    [InlineData(RequestStatus.Declined)]
    public void Answer_EscapesTheRequestersReason_InTheHtmlPart(RequestStatus status)
    {
        var html = Answer(status).Html;

        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        var escaped = "決済の&lt;b&gt;共同提案&lt;/b&gt; &amp; &quot;PoC&quot;\n2行目";
        Assert.Equal(2, html.Split(escaped).Length - 1);
    }
}
