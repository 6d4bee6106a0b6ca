using Microsoft.Extensions.Http.Resilience;
using Azure.Data.Tables;
using Azure.Identity;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Retention;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.DispatchDueWork;
using AlumniNetwork.Functions.GetAlumnus;
using AlumniNetwork.Functions.Hosting.Configuration;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.HrisDepartures;
using AlumniNetwork.Functions.JoinNetwork;
using AlumniNetwork.Functions.SendWelcomeInvitation;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Hosting;

/// <summary>Composition root: configuration, Core use cases and adapters, and the function endpoints.</summary>
public static class FunctionsApp
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Registers everything and maps every function: the app the host (or a test) runs.</summary>
    public static WebApplication BuildAlumniFunctions(this WebApplicationBuilder builder)
    {
        builder.AddAlumniFunctions();
        var app = builder.Build();
        app.MapAlumniFunctions();
        return app;
    }

    public static void AddAlumniFunctions(this WebApplicationBuilder builder)
    {
        StartupCheck.EnsureRequiredSettings(builder.Configuration, builder.Environment);
        var underFunctionsHost = builder.Configuration[CustomHandlerPortVariable] is { Length: > 0 } port;
        if (underFunctionsHost)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration[CustomHandlerPortVariable]}");
        }

        var services = builder.Services;
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        builder.AddOptions();
        builder.AddStorage();
        AddUseCases(services);
        builder.AddAdminAuthentication();
        AdminConsole.ConsoleRegistration.AddAdminConsole(builder);
        // Retries only where the request cannot have been accepted: a retried POST could send the mail twice.
        services.AddHttpClient<IEmailSender, SendGridEmailSender>().AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
        services.AddSingleton<AlumniPages.SameOriginForms>();
        if (builder.Environment.IsDevelopment())
        {
            services.AddSingleton<DevOutbox>();
        }

        if (!underFunctionsHost && builder.Configuration.GetValue<bool>("LocalTriggerHost:Enabled"))
        {
            services.AddHttpClient(LocalTriggerHostService.HttpClientName);
            services.AddHostedService<LocalTriggerHostService>();
        }
    }

    public static void MapAlumniFunctions(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        // Readiness: the host polls GET / until any answer comes back.
        app.MapGet("/", () => Results.Ok(new { status = "ready" })).ExcludeFromDescription();
        HrisDeparturesFunction.Map(app);
        DispatchDueWorkFunction.Map(app);
        SendWelcomeInvitationFunction.Map(app);
        JoinNetworkFunction.Map(app);
        ManagePreferences.ManagePreferencesFunction.Map(app);
        EditProfile.EditProfileFunction.Map(app);
        ExportMyData.ExportMyDataFunction.Map(app);
        EraseMyData.EraseMyDataFunction.Map(app);
        Unsubscribe.UnsubscribeFunction.Map(app);
        GetAlumnusFunction.Map(app);
        SendGridEvents.SendGridEventsFunction.Map(app);
        PurgeExpiredData.PurgeExpiredDataFunction.Map(app);
        SearchAlumni.SearchAlumniFunction.Map(app);
        SetAlumnusFlags.SetAlumnusFlagsFunction.Map(app);
        ExportAlumniCsv.ExportAlumniCsvFunction.Map(app);
        QueryAuditLog.QueryAuditLogFunction.Map(app);
        AdminConsole.ConsoleRegistration.MapAdminConsole(app);
        if (app.Environment.IsDevelopment())
        {
            app.MapDevSendGrid();
        }
    }

    /// <summary>Every options class binds its section and validates itself at start-up.</summary>
    private static void AddOptions(this WebApplicationBuilder builder)
    {
        BindOptions<CompanyOptions>(builder, CompanyOptions.SectionName);
        BindOptions<WelcomeOptions>(builder, WelcomeOptions.SectionName);
        BindOptions<SignedLinkOptions>(builder, SignedLinkOptions.SectionName);
        BindOptions<DispatchOptions>(builder, DispatchOptions.SectionName);
        BindOptions<SendGridOptions>(builder, SendGridOptions.SectionName);
        BindOptions<SendGridEventWebhookOptions>(builder, SendGridEventWebhookOptions.SectionName);
        BindOptions<HrisOptions>(builder, HrisOptions.SectionName);
        BindOptions<OutreachOptions>(builder, OutreachOptions.SectionName);
        BindOptions<RetentionOptions>(builder, RetentionOptions.SectionName);
        BindOptions<Core.Privacy.PrivacyOptions>(builder, Core.Privacy.PrivacyOptions.SectionName);
        BindOptions<LocalTriggerHostOptions>(builder, LocalTriggerHostOptions.SectionName);
    }

    /// <summary>The Table Storage adapters behind Core's ports; tables are created on first use.</summary>
    private static void AddStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Core.Privacy.Pseudonyms>();
        services.AddSingleton(_ => new AlumniTables(CreateTableService(builder.Configuration), builder.Configuration["Storage:TablePrefix"] ?? ""));
        services.AddSingleton<IAlumniStore, TableAlumniStore>();
        services.AddSingleton<IWorkItemStore, TableWorkItemStore>();
        services.AddSingleton<ISendLedger, TableSendLedger>();
        services.AddSingleton<IConsentLedger, TableConsentLedger>();
        services.AddSingleton<IWebhookReceipts, TableWebhookReceipts>();
        services.AddSingleton<ISuppressionList, TableSuppressionList>();
        services.AddSingleton<IOutreachLog, TableOutreachLog>();
        services.AddSingleton<IAuditLog, TableAuditLog>();
        services.AddSingleton<IProfileStore, TableProfileStore>();
        services.AddSingleton<IEngagementCounters, TableEngagementCounters>();
    }

    /// <summary>Core's services and use cases, one per function or page.</summary>
    private static void AddUseCases(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var hris = sp.GetRequiredService<IOptions<HrisOptions>>().Value;
            return new StandardWebhookVerifier(hris.WebhookSecrets, hris.SignatureTolerance, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SendGridEventSignature>();
        services.AddSingleton<LinkTokenService>();
        services.AddSingleton<AlumniLinks>();
        services.AddSingleton<CompanyCalendar>();
        services.AddSingleton<WelcomeSchedule>();
        services.AddSingleton<PromotionalFooter>();
        services.AddScoped<SignedLinkAccess>();
        services.AddScoped<OutreachGate>();
        services.AddScoped<OutreachSender>();

        services.AddScoped<RecordDeparture>();
        services.AddScoped<ReceiveHrisEvent>();
        services.AddScoped<Core.Scheduling.DispatchDueWork>();
        services.AddScoped<Core.Alumni.SendWelcomeInvitation>();
        services.AddScoped<Core.Alumni.JoinNetwork>();
        services.AddScoped<ManageConsent>();
        services.AddScoped<Core.Profiles.EditProfile>();
        services.AddScoped<Core.Privacy.ExportMyData>();
        services.AddScoped<Core.Privacy.EraseMyData>();
        services.AddScoped<ReceiveEmailEvents>();
        services.AddScoped<Core.Retention.PurgeExpiredData>();
        services.AddScoped<Core.Admin.SearchAlumni>();
        services.AddScoped<Core.Admin.GetAlumnusDetails>();
        services.AddScoped<Core.Admin.SetAlumnusFlags>();
        services.AddScoped<Core.Admin.ExportAlumniCsv>();
        services.AddScoped<Core.Admin.QueryAuditLog>();
    }

    private static void BindOptions<T>(WebApplicationBuilder builder, string section)
        where T : class =>
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();

    private static TableServiceClient CreateTableService(ConfigurationManager configuration) =>
        configuration["Storage:ConnectionString"] is { Length: > 0 } connection
            ? new TableServiceClient(connection)
            : new TableServiceClient(new Uri(configuration["Storage:TableServiceUri"]!), new DefaultAzureCredential());
}
