using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Surveys;

namespace AlumniNetwork.Functions.Hosting;

/// <summary>The survey feature's services and functions, added to the app in one line each (its console area is in ConsoleRegistration).</summary>
public static class SurveyRegistration
{
    public static void AddSurveys(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SurveyOptions>().Bind(builder.Configuration.GetSection(SurveyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TableSurveyStore>();
        services.AddSingleton<ISurveyStore>(sp => sp.GetRequiredService<TableSurveyStore>());
        services.AddSingleton<ISurveyResponseStore>(sp => sp.GetRequiredService<TableSurveyStore>());
        services.AddScoped<ManageSurveys>();
        services.AddScoped<Core.Surveys.AnswerSurvey>();
        services.AddScoped<SurveyRelease>();
        services.AddScoped<SurveyResults>();
        services.AddScoped<SurveyRecords>();
        services.AddScoped<SurveyWaveRetention>();
        services.AddScoped<Core.Surveys.RunSurveyWaves>();
        services.AddScoped<ICampaignComposer, SurveyWaveComposer>();
    }

    public static void MapSurveyFunctions(this WebApplication app)
    {
        CreateSurvey.CreateSurveyFunction.Map(app);
        ListSurveys.ListSurveysFunction.Map(app);
        GetSurvey.GetSurveyFunction.Map(app);
        EditSurvey.EditSurveyFunction.Map(app);
        PublishSurvey.PublishSurveyFunction.Map(app);
        CloseSurvey.CloseSurveyFunction.Map(app);
        StartSurveyWave.StartSurveyWaveFunction.Map(app);
        GetSurveyResults.GetSurveyResultsFunction.Map(app);
        AnswerSurvey.AnswerSurveyFunction.Map(app);
        RunSurveyWaves.RunSurveyWavesFunction.Map(app);
    }
}
