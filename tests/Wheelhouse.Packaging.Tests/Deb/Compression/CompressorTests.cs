using CliWrap;
using CliWrap.Buffered;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Deb.Archives;
using Wheelhouse.Packaging.Deb.Compression;

namespace Wheelhouse.Packaging.Tests.Deb.Compression;

public sealed class CompressorTests
{
    public static TheoryData<int> GzipLengths => new()
    {
        0,
        1,
        GzipEncoderStream.ChunkSize,
        (3 * GzipEncoderStream.ChunkSize) + 17,
        GzipEncoderStream.DictionarySize - 1,
    };

    [Integration]
    [Theory]
    [MemberData(nameof(GzipLengths))]
    public async Task Gzip_is_read_back_by_gzip_and_the_same_for_any_thread_count(int length)
    {
        var input = Sample(length);

        var one = Compress(DebCompression.Gzip, input, threads: 1);
        var three = Compress(DebCompression.Gzip, input, threads: 3);

        three.Should().Equal(one);
        (await Decompress("gzip", one)).Should().Equal(input);
    }

    [Fact]
    public void Gzip_header_has_no_name_no_time_best_compression_and_unix()
    {
        var output = Compress(DebCompression.Gzip, Sample(1000), threads: 2);

        output[..10].Should().Equal(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3);
    }

    [Fact]
    public void Gzip_chunks_see_the_previous_chunk_as_their_dictionary()
    {
        // The same 16 KiB of noise ending one chunk and starting the next: only a dictionary lets the second become matches.
        var half = Sample(16 << 10, seed: 3, compressible: false);
        var input = new byte[GzipEncoderStream.ChunkSize + half.Length];
        half.CopyTo(input, GzipEncoderStream.ChunkSize - half.Length);
        half.CopyTo(input, GzipEncoderStream.ChunkSize);

        Compress(DebCompression.Gzip, input, threads: 2).Length.Should().BeLessThan(half.Length + (half.Length / 10));
    }

    [Integration]
    [Fact]
    public async Task Xz_is_read_back_by_xz_in_24_MiB_blocks_and_the_same_for_any_thread_count()
    {
        var input = Sample((30 << 20) + 12345);

        var one = Compress(DebCompression.Xz, input, threads: 1, input.Length);
        var four = Compress(DebCompression.Xz, input, threads: 4, input.Length);

        four.Should().Equal(one);
        (await Decompress("xz", one)).Should().Equal(input);
        var file = Path.Combine(Path.GetTempPath(), $"wh-xz-{Guid.NewGuid():N}.xz");
        try
        {
            await File.WriteAllBytesAsync(file, one);
            var list = await ProcessRunner.RunOkAsync("xz", "--robot", "--list", "--verbose", file);
            var blocks = list.Split('\n').Where(l => l.StartsWith("block\t", StringComparison.Ordinal)).ToList();
            blocks.Select(b => b.Split('\t')[7]).Should().Equal(new[] { (24 << 20).ToString(), (input.Length - (24 << 20)).ToString() }, "dpkg-deb's block layout");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Data_tar_length_is_known_before_writing_including_long_names_and_link_targets()
    {
        var longName = string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 6)) + "/file.bin";
        var package = SamplePackages.Create("wh-testpkg-tarlen");
        package = package with
        {
            Data =
            [
                .. package.Data,
                new DebFile("usr/share/" + longName, DebFileSource.FromBytes(new byte[513])),
                new DebSymlink("usr/share/wh-testpkg-tarlen/link", "../" + longName),
            ],
        };
        var tree = DebDataTree.Create(package.Data);

        using var output = new MemoryStream();
        DataTarWriter.Write(tree, DebCompression.None, output, 0, threads: 1, hashes: null);

        DataTarWriter.Length(tree).Should().Be(output.Length);
        (output.Length % GnuTarWriter.RecordSize).Should().Be(0);
    }

    private static byte[] Compress(DebCompression compression, byte[] input, int threads, long? length = null)
    {
        using var buffer = new MemoryStream();
        using (var stream = Compressor.Open(compression, buffer, threads, length))
        {
            // Odd write sizes, so chunk and buffer boundaries never line up with the writes.
            for (var offset = 0; offset < input.Length; offset += 100_003)
            {
                stream.Write(input.AsSpan(offset, Math.Min(100_003, input.Length - offset)));
            }
        }

        return buffer.ToArray();
    }

    private static async Task<byte[]> Decompress(string tool, byte[] compressed)
    {
        using var output = new MemoryStream();
        var result = await Cli.Wrap(tool).WithArguments(["-d", "-c"])
            .WithStandardInputPipe(PipeSource.FromBytes(compressed))
            .WithStandardOutputPipe(PipeTarget.ToStream(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        result.ExitCode.Should().Be(0, $"{tool} -d says: {result.StandardError}");
        return output.ToArray();
    }

    /// <summary>Half text-like, half random: compressible enough to exercise matches, varied enough to need many blocks.</summary>
    private static byte[] Sample(int length, int seed = 1, bool compressible = true)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (compressible)
        {
            for (var i = 0; i < length; i += 200)
            {
                var words = "the quick brown fox jumps over the lazy dog "u8;
                words[..Math.Min(words.Length, length - i)].CopyTo(bytes.AsSpan(i));
            }
        }

        return bytes;
    }
}
