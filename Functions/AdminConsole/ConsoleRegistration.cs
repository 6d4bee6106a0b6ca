using AlumniNetwork.Core.Insights;
using AlumniNetwork.Functions.AdminApiDocument;
using AlumniNetwork.Functions.AdminConsole.Alumni;
using AlumniNetwork.Functions.AdminConsole.Audit;
using AlumniNetwork.Functions.AdminConsole.Campaigns;
using AlumniNetwork.Functions.AdminConsole.Events;
using AlumniNetwork.Functions.AdminConsole.Insights;
using AlumniNetwork.Functions.AdminConsole.Newsletter;
using AlumniNetwork.Functions.AdminConsole.Surveys;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>
/// Everything the console, the dashboard and the admin API's OpenAPI document add to the app, in one place. A later
/// feature registers its console area, its dashboard section and its insight source here (one line each).
/// </summary>
public static class ConsoleRegistration
{
    public static void AddAdminConsole(this WebApplicationBuilder builder)
    {
        builder.AddConsoleAuthentication();
        var services = builder.Services;
        services.AddAdminApiDocument();

        services.AddConsoleArea<AlumniArea>();
        services.AddConsoleArea<InsightsArea>();
        services.AddConsoleArea<AuditArea>();
        services.AddConsoleArea<EventsArea>();
        services.AddConsoleArea<CampaignsArea>();
        services.AddConsoleArea<NewsletterArea>();
        services.AddConsoleArea<SurveysArea>();
        services.AddConsoleArea<Openings.OpeningsArea>();
        services.AddConsoleArea<Collaboration.CollaborationArea>();
        services.AddConsoleArea<Conflicts.ConflictsArea>();

        services.AddSingleton<IInsightStore, Core.Storage.TableInsightStore>();
        services.AddScoped<Core.Insights.RollUpInsights>();
        services.AddScoped<IInsightSource, AlumniInsights>();
        services.AddScoped<IInsightSource, ConsentInsights>();
        services.AddScoped<IInsightSource, EmailEngagementInsights>();
        services.AddScoped<IInsightSource, Core.Events.EventAttendanceInsights>();
        services.AddScoped<IInsightSource, Core.Surveys.SurveyInsights>();
        services.AddScoped<IInsightSource, Core.Rehires.RehireInsights>();

        services.AddDashboardSection<StatusSection>();
        services.AddDashboardSection<JoinsSection>();
        services.AddDashboardSection<CohortSection>();
        services.AddDashboardSection<ConsentSection>();
        services.AddDashboardSection<EmailEngagementSection>();
        services.AddDashboardSection<EventAttendanceSection>();
        services.AddDashboardSection<SurveySection>();
        services.AddDashboardSection<RehiresSection>();
    }

    /// <summary>
    /// Outside Development, marks console requests as the https they were in the browser. Runs before authentication
    /// and authorization, since their answers (a 403 page with the header's forms) set the console's cookies too.
    /// </summary>
    public static void UseConsoleHttps(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            // The Functions host forwards each request to the handler over plain HTTP on the loopback, but the app is
            // HTTPS-only (httpsOnly in functionapp.bicep): the browser's request was https. Saying so makes the
            // console's cookies (form tokens, language) Secure.
            app.UseWhen(context => ConsoleForms.IsConsole(context.Request), console => console.Use((context, next) =>
            {
                context.Request.Scheme = Uri.UriSchemeHttps;
                return next(context);
            }));
        }
    }

    public static void MapAdminConsole(this WebApplication app)
    {
        AdminConsoleFunction.Map(app);
        RollUpInsights.RollUpInsightsFunction.Map(app);
        AdminApiDocumentFunction.Map(app);
    }
}
