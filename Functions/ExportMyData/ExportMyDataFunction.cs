using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Edge;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.ExportMyData;

/// <summary>Download everything held about me as JSON: GET shows the button, POST returns the file.</summary>
public static class ExportMyDataFunction
{
    public const string Route = "/api/alumni/export";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, Core.Privacy.ExportMyData export, AlumniLinks links, CancellationToken cancellationToken) =>
        {
            var access = await export.ShowAsync(token, cancellationToken);
            if (access.Status != LinkAccessStatus.Valid)
            {
                return LinkProblem(access.Status, access.Alumnus?.Locale);
            }

            var l = access.Required.Locale;
            return AlumniPage.Render(access.Required, StatusCodes.Status200OK, T(l, "登録データのダウンロード", "Download your data"), $"""
                <p>{T(l, "当社がお客様について保持しているすべてのデータを、JSON形式でダウンロードできます。", "Download everything we hold about you, as a JSON file.")}</p>
                <form method="post" action="{AlumniPage.FormAction(Route, token)}"><input type="hidden" name="token" value="{E(token)}">
                <button type="submit">{T(l, "ダウンロードする", "Download")}</button></form>
                """, links, reachedByPrivacyLink: true);
        });

        app.MapFormPost(Route, async (form, context) =>
        {
            var result = await context.RequestServices.GetRequiredService<Core.Privacy.ExportMyData>().ExportAsync(form["token"], context.RequestAborted);
            if (result.Data is null)
            {
                return LinkProblem(result.Access.Status, result.Access.Alumnus?.Locale);
            }

            context.Response.Headers.ContentDisposition = "attachment; filename=\"alumni-data.json\"";
            return Results.Json(result.Data, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true });
        }).HoldsPersonalData();
    }
}
