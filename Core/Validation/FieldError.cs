namespace AlumniNetwork.Core.Validation;

/// <summary>One rule one field broke, named so an HTTP edge can turn a list of them into problem details.</summary>
/// <param name="Field">JSON path of the field, e.g. <c>data.personalEmail</c>.</param>
/// <param name="Rule">What the field must be, in plain words.</param>
public sealed record FieldError(string Field, string Rule);
