using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Tests.Conflicts;

/// <summary>The matching key of organisation names: a table of the ways Japanese and English company names are written.</summary>
public sealed class OrganisationNameTests
{
    /// <summary>Each row: a spelling, and the spelling it must match (the same key).</summary>
    public static TheoryData<string, string> SameOrganisation => new()
    {
        // 株式会社 before or after the name, and its abbreviations in full-width and half-width brackets.
        { "株式会社三井住友銀行", "三井住友銀行" },
        { "三井住友銀行株式会社", "三井住友銀行" },
        { "（株）三井住友銀行", "三井住友銀行" },
        { "(株)三井住友銀行", "三井住友銀行" },
        { "㈱三井住友銀行", "三井住友銀行" },
        { "三井住友銀行（株）", "三井住友銀行" },
        { "有限会社やまだ屋", "やまだ屋" },
        { "合同会社サンプル", "サンプル" },
        { "有限責任監査法人トーマツ", "トーマツ" },
        { "一般社団法人日本アルムナイ協会", "日本アルムナイ協会" },
        // A form that contains a shorter one goes whole, wherever either stands in the list of forms.
        { "地方独立行政法人大阪府立病院機構", "大阪府立病院機構" },
        { "独立行政法人国際協力機構", "国際協力機構" },
        { "（独）国際協力機構", "国際協力機構" },
        { "有限責任監査法人トーマツ", "監査法人トーマツ" },
        { "国立大学法人東京大学", "東京大学" },
        // Spacing (half-width and ideographic), full-width letters and digits, half-width katakana.
        { " 三井住友 銀行 ", "三井住友銀行" },
        { "三井住友\u3000銀行", "三井住友銀行" },
        { "ＡＢＣ商事株式会社", "ABC商事" },
        { "ａｂｃ　商事", "ABC商事" },
        { "第１ホールディングス", "第1ホールディングス" },
        { "ﾃﾞﾛｲﾄ ﾄｰﾏﾂ", "デロイトトーマツ" },
        { "デロイト・トーマツ", "デロイトトーマツ" },
        // English legal forms at the end, with or without dots and commas, in any case; a leading "The".
        { "Sumitomo Mitsui Banking Corporation", "Sumitomo Mitsui Banking" },
        { "SUMITOMO MITSUI BANKING CORP.", "sumitomo mitsui banking" },
        { "Acme Co., Ltd.", "Acme" },
        { "ACME CO.,LTD.", "Acme" },
        { "Acme Co.Ltd", "Acme" },
        { "Acme Company Limited", "Acme" },
        { "Acme, Inc.", "Acme" },
        { "Acme Incorporated", "ACME" },
        { "Acme K.K.", "Acme" },
        { "Acme Kabushiki Kaisha", "Acme" },
        { "Deloitte Tohmatsu LLC", "Deloitte Tohmatsu" },
        { "DELOITTE TOHMATSU, L.L.C.", "deloitte tohmatsu" },
        { "The Bank of Yokohama, Ltd.", "Bank of Yokohama" },
        { "Ｄｅｌｏｉｔｔｅ　Ｔｏｈｍａｔｓｕ", "deloitte tohmatsu" },
        { "Ernst & Young", "Ernst Young" },
        { "Acme Public Limited Company", "Acme" },
        { "Acme Limited Liability Company", "Acme" },
        { "Acme Limited Partnership", "Acme" },
    };

    /// <summary>Each row: two names that must stay apart (different organisations, or spellings only an alias joins).</summary>
    public static TheoryData<string, string> DifferentOrganisations => new()
    {
        { "三井住友銀行", "三井住友信託銀行" },
        { "Mizuho Bank", "Mizuho Securities" },
        // Kana and kanji spellings of one name are joined by aliases, not guessed.
        { "みずほ銀行", "ミズホ銀行" },
        { "トーマツ", "Tohmatsu" },
        { "Ernst & Young", "Ernst and Young" },
    };

    [Theory]
    [MemberData(nameof(SameOrganisation))]
    public void Spellings_OfOneOrganisation_HaveOneKey(string written, string canonical)
    {
        Assert.NotEqual("", OrganisationName.Key(written));
        Assert.Equal(OrganisationName.Key(canonical), OrganisationName.Key(written));
    }

    [Theory]
    [MemberData(nameof(DifferentOrganisations))]
    public void DifferentNames_KeepDifferentKeys(string one, string other) =>
        Assert.NotEqual(OrganisationName.Key(one), OrganisationName.Key(other));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("株式会社")]
    [InlineData("（株）")]
    [InlineData("㈱")]
    [InlineData("Co., Ltd.")]
    [InlineData("Inc.")]
    [InlineData("・・・")]
    [InlineData("K.K.")]
    public void NameThatIsOnlyALegalFormOrPunctuation_HasAnEmptyKey(string name) =>
        Assert.Equal("", OrganisationName.Key(name));

    [Fact]
    public void Key_IsLowerCaseLettersAndDigitsOnly() =>
        Assert.Equal("abc商事2", OrganisationName.Key("ＡＢＣ・商事 ２ Co., Ltd."));
}
