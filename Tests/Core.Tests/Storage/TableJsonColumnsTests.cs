using AlumniNetwork.Core.Storage;
using Azure.Data.Tables;

namespace AlumniNetwork.Core.Tests.Storage;

public sealed class TableJsonColumnsTests
{
    [Fact]
    public void CharacterOfTwoHalves_AtTheEndOfAColumn_GoesWholeIntoTheNext()
    {
        // 29,999 characters, then an emoji whose two halves would straddle the first column's 30,000.
        var json = new string('a', 29_999) + "😀" + "終わり";
        var entity = new TableEntity("p", "r");

        TableJsonColumns.Write(entity, "Answers", json);

        Assert.False(char.IsHighSurrogate(entity.GetString("Answers0")[^1]));
        Assert.True(char.IsLowSurrogate(entity.GetString("Answers1")[1]));
        Assert.Equal(json, TableJsonColumns.Read(entity, "Answers"));
    }
}
