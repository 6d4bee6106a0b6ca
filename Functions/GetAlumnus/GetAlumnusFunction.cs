using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetAlumnus;

/// <summary>Admin: one alumnus with its consent history. Requires the admin role.</summary>
public static class GetAlumnusFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/admin/alumni/{id}", async (
        string id, IAlumniStore alumni, IConsentLedger consents, CancellationToken cancellationToken) =>
    {
        if (!AlumnusId.TryParse(id, out var alumnusId) || await alumni.GetAsync(alumnusId, cancellationToken) is not { } a)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found.", "No alumnus has this id.");
        }

        var history = await consents.HistoryAsync(alumnusId, cancellationToken);
        return Results.Ok(new
        {
            id = a.Id.Value,
            a.EmployeeId,
            a.GivenName,
            a.FamilyName,
            personalEmail = a.PersonalEmail.Value,
            a.Department,
            a.JobTitle,
            a.HireDate,
            a.LastWorkingDay,
            reason = a.Reason.ToString(),
            a.RehireEligible,
            locale = a.Locale.ToTag(),
            status = a.Status.ToString(),
            a.WelcomeDueAt,
            a.RecordedAt,
            a.InvitedAt,
            a.JoinedAt,
            consents = history.Select(c => new { purpose = c.Purpose.ToString(), c.Granted, c.At, method = c.Method.ToString(), c.WordingVersion }),
        });
    }).RequireAuthorization(AdminAuthentication.PolicyName);
}
