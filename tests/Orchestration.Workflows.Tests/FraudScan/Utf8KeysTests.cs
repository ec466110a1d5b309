using System.Text;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class Utf8KeysTests
{
    static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    [TestMethod]
    public void KeysAreDenseInOrderOfFirstAppearance_EqualValuesInOtherArraysGetTheSameKey()
    {
        var keys = new Utf8Keys();

        Assert.AreEqual(0, keys.KeyOf(Utf8("O1")));
        Assert.AreEqual(1, keys.KeyOf(Utf8("O2")));
        Assert.AreEqual(0, keys.KeyOf(Utf8("O1")));
        Assert.AreEqual(2, keys.KeyOf("O3"));
        Assert.AreEqual(1, keys.KeyOf("O2"));
        Assert.AreEqual(3, keys.Count);
    }

    [TestMethod]
    public void ValuesEitherSideOfTheInlineLength_EmptyAndZeroBytes_AreAllDistinct_AndComeBackAsGiven()
    {
        // Values of up to 7 bytes are compared inside the slot (bytes plus length), longer ones through the list: a
        // value and the same value with a zero byte added, or cut short, must not meet.
        string[] values = ["", "\0", "\0\0", "A", "A\0", "\0A", "ABCDEFG", "ABCDEFG\0", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP\0", "é", "事件😀"];
        var keys = new Utf8Keys();
        int[] given = values.Select(v => keys.KeyOf(Utf8(v))).ToArray();

        CollectionAssert.AreEqual(Enumerable.Range(0, values.Length).ToArray(), given);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.AreEqual(i, keys.KeyOf(Utf8(values[i])), $"'{values[i]}' again");
            Assert.AreEqual(values[i], keys.GetString(i));
            CollectionAssert.AreEqual(Utf8(values[i]), keys[i].ToArray());
        }
    }

    [TestMethod]
    public void IndexOf_FindsWithoutAdding()
    {
        var keys = new Utf8Keys();
        keys.KeyOf(Utf8("XNAS"));

        Assert.AreEqual(0, keys.IndexOf(Utf8("XNAS")));
        Assert.AreEqual(-1, keys.IndexOf(Utf8("ARCX")));
        Assert.AreEqual(1, keys.Count);
    }

    [TestMethod]
    public void ManyValues_TheTableGrows_EveryKeyStays()
    {
        // From the smallest table (8 slots) through many doublings, values short and long.
        var keys = new Utf8Keys(0);
        const int Count = 50_000;
        for (int i = 0; i < Count; i++)
        {
            Assert.AreEqual(i, keys.KeyOf(Utf8(Value(i))));
        }

        for (int i = Count - 1; i >= 0; i--)
        {
            Assert.AreEqual(i, keys.IndexOf(Utf8(Value(i))), Value(i));
        }

        static string Value(int i) => i % 3 == 0 ? "ACCOUNT-" + i : "A" + i;
    }
}
