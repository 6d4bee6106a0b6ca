using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Alumni;

public sealed class HrisImportOptions : IValidatableObject
{
    public const string SectionName = "HrisImport";

    /// <summary>The most rows one bulk import or nightly batch may carry (default 2,000; 1 to 10,000).</summary>
    public int MaxRows { get; set; } = 2_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRows is < 1 or > 10_000)
        {
            yield return new ValidationResult("must be from 1 to 10000", [nameof(MaxRows)]);
        }
    }
}
