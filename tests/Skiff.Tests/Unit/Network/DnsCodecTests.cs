using Skiff.Rootless.Network.Bridge;
using Skiff.Rootless.Network.Dns;

namespace Skiff.Tests.Unit.Network;

/// <summary>The network DNS server's codec and answers: hostile input is refused without loops or overreads.</summary>
public class DnsCodecTests
{
    private static readonly DnsRecords Records = DnsRecords.Parse(
        "# skiff network records\n10.89.0.2 web www 0123456789ab\n10.89.0.3 db 3456789abcde\n");

    [Fact]
    public void A_query_is_parsed_with_its_name_type_and_class()
    {
        Assert.Equal(DnsParseOutcome.Query, DnsCodec.ParseQuery(DnsMessages.Query("Web.dns.podman", DnsTypes.Aaaa), out DnsHeader header, out DnsQuestion? question));
        Assert.Equal(0x1234, header.Id);
        Assert.True(header.RecursionDesired);
        Assert.Equal("Web.dns.podman", question!.Name);
        Assert.Equal(DnsTypes.Aaaa, question.Type);
        Assert.Equal(DnsTypes.ClassIn, question.Class);
        Assert.Equal(16, question.WireName.Length);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("WEB")]
    [InlineData("www")]
    [InlineData("web.dns.podman")]
    [InlineData("Web.DNS.Podman.")]
    [InlineData("0123456789ab")]
    public void Container_names_aliases_and_short_ids_are_answered_case_insensitively(string name)
    {
        byte[] response = DnsAnswerer.Answer(DnsMessages.Query(name), Records, 512, out bool forward)!;
        Assert.False(forward);
        Assert.Equal(0x1234, DnsMessages.Id(response));
        Assert.Equal(0, DnsMessages.ResponseCode(response));
        Assert.True(DnsMessages.Authoritative(response));
        Assert.Equal(["10.89.0.2"], DnsMessages.Addresses(response));
    }

    [Fact]
    public void Aaaa_for_a_known_name_is_noerror_without_answers()
    {
        byte[] response = DnsAnswerer.Answer(DnsMessages.Query("db", DnsTypes.Aaaa), Records, 512, out bool forward)!;
        Assert.False(forward);
        Assert.Equal(0, DnsMessages.ResponseCode(response));
        Assert.Equal(0, DnsMessages.AnswerCount(response));
    }

    [Fact]
    public void Unknown_names_under_the_search_domain_are_nxdomain_and_others_are_forwarded()
    {
        byte[] response = DnsAnswerer.Answer(DnsMessages.Query("nobody.dns.podman"), Records, 512, out bool forward)!;
        Assert.False(forward);
        Assert.Equal(DnsTypes.NameError, DnsMessages.ResponseCode(response));

        Assert.Null(DnsAnswerer.Answer(DnsMessages.Query("example.org"), Records, 512, out forward));
        Assert.True(forward);
        Assert.Null(DnsAnswerer.Answer(DnsMessages.Query("web.example.org"), Records, 512, out forward));
        Assert.True(forward);
    }

    [Fact]
    public void Reverse_lookups_of_container_addresses_give_the_container_name()
    {
        byte[] response = DnsAnswerer.Answer(DnsMessages.Query("3.0.89.10.in-addr.arpa", DnsTypes.Ptr), Records, 512, out bool forward)!;
        Assert.False(forward);
        Assert.Equal(1, DnsMessages.AnswerCount(response));
        Assert.True(DnsCodec.TryReadName(response, response.Length - 4, out string name, out _, out _));
        Assert.Equal("db", name);
    }

    [Fact]
    public void Many_addresses_that_do_not_fit_512_bytes_are_truncated()
    {
        string text = string.Concat(Enumerable.Range(1, 40).Select(i => $"10.89.0.{i} many\n"));
        byte[] response = DnsAnswerer.Answer(DnsMessages.Query("many"), DnsRecords.Parse(text), 512, out _)!;
        Assert.True(response.Length <= 512);
        Assert.True(DnsMessages.Truncated(response));
        Assert.Equal(30, DnsMessages.AnswerCount(response));
    }

    [Fact]
    public void Responses_and_short_messages_are_dropped()
    {
        byte[] query = DnsMessages.Query("web");
        query[2] |= 0x80;
        Assert.Null(DnsAnswerer.Answer(query, Records, 512, out bool forward));
        Assert.False(forward);
        Assert.Null(DnsAnswerer.Answer(new byte[11], Records, 512, out forward));
        Assert.False(forward);
        Assert.Null(DnsAnswerer.Answer([], Records, 512, out forward));
    }

    [Fact]
    public void Other_opcodes_are_not_implemented()
    {
        byte[] query = DnsMessages.Query("web", flags: 0x2800);
        byte[] response = DnsAnswerer.Answer(query, Records, 512, out _)!;
        Assert.Equal(DnsTypes.NotImplemented, DnsMessages.ResponseCode(response));
        Assert.Equal(0x1234, DnsMessages.Id(response));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        // A pointer to itself, at the question's start.
        { "self pointer", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1] },
        // A label pointing forward to a pointer that points back at it: a loop through a forward jump.
        { "forward pointer", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0xc0, 12, 0, 1, 0, 1] },
        // A pointer into the header.
        { "pointer into the header", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0xc0, 0, 0, 1, 0, 1] },
        // A label longer than the message.
        { "label past the end", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 30, (byte)'a', (byte)'b'] },
        // No terminating zero.
        { "unterminated name", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a'] },
        // The name is fine but type and class are missing.
        { "no type", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0] },
        // Reserved label type 0x40.
        { "reserved label type", [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, (byte)'a', 0, 0, 1, 0, 1] },
        // Two questions.
        { "two questions", [0x12, 0x34, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 1, 0, 1] },
        // No question.
        { "no question", [0x12, 0x34, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_queries_get_formerr_with_their_id(string what, byte[] query)
    {
        byte[] response = DnsAnswerer.Answer(query, Records, 512, out bool forward)!;
        Assert.False(forward, what);
        Assert.Equal(DnsTypes.FormatError, DnsMessages.ResponseCode(response));
        Assert.Equal(0x1234, DnsMessages.Id(response));
    }

    [Fact]
    public void Backward_pointers_are_followed_and_a_name_longer_than_255_bytes_is_refused()
    {
        // "a" at 12, then "b" + pointer to 12 at 15: "b.a", ending after the pointer.
        byte[] message = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 1, (byte)'b', 0xc0, 12];
        Assert.True(DnsCodec.TryReadName(message, 15, out string name, out byte[] wire, out int end));
        Assert.Equal("b.a", name);
        Assert.Equal(19, end);
        Assert.Equal([1, (byte)'b', 1, (byte)'a', 0], wire);

        string longName = string.Join('.', Enumerable.Repeat(new string('x', 63), 4));
        Assert.Equal(DnsParseOutcome.FormatError, DnsCodec.ParseQuery(DnsMessages.Query(longName), out _, out _));
        Assert.Null(DnsCodec.EncodeName(longName));
        Assert.Null(DnsCodec.EncodeName(new string('x', 64)));
    }

    [Fact]
    public void A_label_with_a_dot_never_matches_a_record()
    {
        byte[] message = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'w', (byte)'e', (byte)'b', (byte)'.', (byte)'x', 0, 0, 1, 0, 1];
        Assert.Equal(DnsParseOutcome.Query, DnsCodec.ParseQuery(message, out _, out DnsQuestion? question));
        Assert.Equal("web\\.x", question!.Name);
        Assert.Null(DnsRecords.Parse("10.89.0.2 web.x\n").Find(question.Name));
    }

    [Fact]
    public void Every_truncation_of_a_valid_query_is_handled_without_throwing()
    {
        byte[] query = DnsMessages.Query("web.dns.podman");
        for (int length = 0; length < query.Length; length++)
        {
            DnsAnswerer.Answer(query.AsSpan(0, length), Records, 512, out _);
        }

        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] noise = new byte[random.Next(0, 64)];
            random.NextBytes(noise);
            DnsAnswerer.Answer(noise, Records, 512, out _);
        }
    }

    [Fact]
    public void Records_file_lists_the_same_names_as_the_hosts_file()
    {
        var peer = new NetworkEndpointEntry { Id = "0123456789abcdef", Name = "web", Aliases = ["www"], Address = "10.89.0.2" };
        string records = DnsRecordsFile.Render([peer]);
        string hosts = NetworkHostsFile.Render("127.0.0.1\tlocalhost\n", [peer], "other");
        Assert.Contains("10.89.0.2 web www 0123456789ab\n", records);
        Assert.Contains("10.89.0.2\tweb www 0123456789ab\n", hosts);
    }

    [Fact]
    public void Upstreams_come_from_resolv_conf_nameservers_with_port_53()
    {
        IReadOnlyList<System.Net.IPEndPoint> servers = DnsUpstreams.Parse("# c\nsearch x\nnameserver 127.0.0.53\nnameserver ::1\nnameserver nonsense\noptions edns0\n");
        Assert.Equal(["127.0.0.53:53", "[::1]:53"], servers.Select(s => s.ToString()));
        Assert.True(DnsUpstreams.TryParseEndpoint("10.0.0.1:5353", out System.Net.IPEndPoint endpoint));
        Assert.Equal(5353, endpoint.Port);
        Assert.False(DnsUpstreams.TryParseEndpoint("nonsense", out _));
    }
}
