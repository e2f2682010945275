using System.Text;
using Skiff.Core.Errors;

namespace Skiff.Images.Unpack.Tar;

/// <summary>
/// Parses the content of a PAX extended header: records of the form <c>"LEN KEY=VALUE\n"</c>, where LEN
/// counts the whole record in bytes. Values are kept as bytes: POSIX says they are UTF-8, but
/// <c>SCHILY.xattr.*</c> values are the raw attribute (a file capability is binary), so decoding them
/// as text would corrupt them. Later records override earlier ones with the same key.
/// </summary>
public static class PaxRecords
{
    public static List<KeyValuePair<string, byte[]>> Parse(ReadOnlySpan<byte> data)
    {
        var records = new List<KeyValuePair<string, byte[]>>();
        int offset = 0;
        while (offset < data.Length)
        {
            // Some writers pad the header's content with NULs after the last record.
            if (data[offset] == 0)
            {
                break;
            }

            int space = data[offset..].IndexOf((byte)' ');
            if (space <= 0 || space > 20)
            {
                throw Invalid("a record has no length");
            }

            long length = 0;
            foreach (byte digit in data.Slice(offset, space))
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    throw Invalid("a record length is not a decimal number");
                }

                length = (length * 10) + (digit - '0');
            }

            if (length <= space + 1 || length > data.Length - offset)
            {
                throw Invalid("a record length is out of range");
            }

            ReadOnlySpan<byte> record = data.Slice(offset + space + 1, (int)length - space - 1);
            if (record[^1] != (byte)'\n')
            {
                throw Invalid("a record does not end with a newline");
            }

            record = record[..^1];
            int equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw Invalid("a record has no key");
            }

            string key = Encoding.UTF8.GetString(record[..equals]);
            byte[] value = record[(equals + 1)..].ToArray();
            int existing = records.FindIndex(r => r.Key == key);
            if (existing >= 0)
            {
                records[existing] = new(key, value);
            }
            else
            {
                records.Add(new(key, value));
            }

            offset += (int)length;
        }

        return records;
    }

    private static SkiffException Invalid(string what) =>
        SkiffException.InvalidArgument($"layer is not a valid tar archive: a PAX extended header is malformed ({what})");
}
