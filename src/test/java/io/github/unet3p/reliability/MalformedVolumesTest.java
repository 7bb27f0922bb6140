package io.github.unet3p.reliability;

import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import io.github.unet3p.testsupport.TinyDicom;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinyVolumes;
import net.imglib2.img.array.ArrayImgs;

/**
 * Malformed volumes given to {@code UNet3+ Preprocess} (NIfTI) and {@code UNet3+ Overlay} (DICOM
 * folders) through the launcher: each is refused with one message naming the file and the
 * problem, without a stack trace, a temporary file or a change to the input.
 */
class MalformedVolumesTest {

	@TempDir
	Path tmp;

	/** Puts the bad volume (and whatever it needs beside it) into the input folder. */
	@FunctionalInterface
	interface Corpus {
		void make(Path in, Path scratch) throws IOException;
	}

	private static Corpus edit(final String name, final java.util.function.Consumer<ByteBuffer> change) {
		return (in, scratch) -> {
			final byte[] b = TinyVolumes.ctBytes(scratch);
			change.accept(TinyVolumes.header(b));
			Files.write(in.resolve(name), name.endsWith(".gz") ? TinyVolumes.gzip(b) : b);
		};
	}

	private static Corpus bytes(final String name, final java.util.function.UnaryOperator<byte[]> change) {
		return (in, scratch) -> Files.write(in.resolve(name), change.apply(TinyVolumes.ctBytes(scratch)));
	}

	private static byte[] gz(final byte[] b) {
		try {
			return TinyVolumes.gzip(b);
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
	}

	static Stream<Arguments> badVolumes() {
		final int data = TinyVolumes.I * TinyVolumes.J * TinyVolumes.K * 2;
		return Stream.of(
			Arguments.of("wrong magic", edit("volume-0.nii", h -> h.put(344, (byte) 'x')), new String[] { "volume-0.nii", "not a NIfTI-1 file", "magic" }),
			Arguments.of("truncated header", bytes("volume-0.nii", b -> Arrays.copyOf(b, 200)), new String[] { "volume-0.nii", "truncated", "348 bytes" }),
			Arguments.of("truncated data", bytes("volume-0.nii", b -> Arrays.copyOf(b, 352 + 100)),
					new String[] { "volume-0.nii", "truncated", data + " bytes of voxel data", "only 100" }),
			Arguments.of("truncated data, gzip", bytes("volume-0.nii.gz", b -> gz(Arrays.copyOf(b, 352 + 100))),
					new String[] { "volume-0.nii.gz", "truncated", "only 100" }),
			Arguments.of("gzip cut mid-stream", bytes("volume-0.nii.gz", b -> {
				final byte[] z = gz(b);
				return Arrays.copyOf(z, z.length / 2);
			}), new String[] { "volume-0.nii.gz", "truncated" }),
			Arguments.of("gzip CRC corrupt", bytes("volume-0.nii.gz", b -> {
				final byte[] z = gz(b);
				z[z.length - 8] ^= 0x55;
				return z;
			}), new String[] { "volume-0.nii.gz", "corrupt gzip" }),
			Arguments.of("gzip header corrupt", bytes("volume-0.nii.gz", b -> {
				final byte[] z = gz(b);
				z[2] = 99;
				return z;
			}), new String[] { "volume-0.nii.gz", "not a valid gzip file" }),
			Arguments.of("zero-byte file", (Corpus) (in, s) -> Files.write(in.resolve("volume-0.nii"), new byte[0]),
					new String[] { "volume-0.nii", "empty (0 bytes)" }),
			Arguments.of("folder named like a volume", (Corpus) (in, s) -> Files.createDirectory(in.resolve("volume-3.nii.gz")),
					new String[] { "volume-3.nii.gz", "is a folder" }),
			Arguments.of("absurd dimensions", edit("volume-0.nii", h -> h.putShort(42, (short) 32767).putShort(44, (short) 32767).putShort(46, (short) 32767)),
					new String[] { "volume-0.nii", "32767×32767×32767", "GiB", "-Xmx" }),
			Arguments.of("negative dimension", edit("volume-0.nii", h -> h.putShort(42, (short) -5)), new String[] { "volume-0.nii", "dim[1] = -5" }),
			Arguments.of("zero dimension", edit("volume-0.nii", h -> h.putShort(46, (short) 0)), new String[] { "volume-0.nii", "dim[3] = 0" }),
			Arguments.of("unsupported datatype", edit("volume-0.nii", h -> h.putShort(70, (short) 32)), new String[] { "volume-0.nii", "datatype" }),
			Arguments.of("4-D", edit("volume-0.nii", h -> h.putShort(40, (short) 4).putShort(48, (short) 3)), new String[] { "volume-0.nii", "4-D" }),
			Arguments.of("NaN and Inf voxels", (Corpus) (in, s) -> {
				final float[] v = new float[TinyVolumes.I * TinyVolumes.J * TinyVolumes.K];
				v[5] = Float.NaN;
				v[17] = Float.POSITIVE_INFINITY;
				NiftiWriter.write(in.resolve("volume-0.nii.gz"), Volume.of(ArrayImgs.floats(v, TinyVolumes.I, TinyVolumes.J, TinyVolumes.K), VolumeGeometry.ofSpacing(1, 1, 1)));
			}, new String[] { "volume-0.nii.gz", "2 voxels", "NaN or infinite" }),
			Arguments.of("segmentation of another shape", (Corpus) (in, s) -> {
				NiftiWriter.write(in.resolve("volume-0.nii"), TinyVolumes.ct());
				NiftiWriter.write(in.resolve("segmentation-0.nii"), Volume.of(ArrayImgs.unsignedBytes(TinyVolumes.I, TinyVolumes.J, TinyVolumes.K + 1), VolumeGeometry.ofSpacing(1, 1, 2.5)));
			}, new String[] { "volume-0.nii", "segmentation-0.nii", "same shape" }),
			Arguments.of("truncated segmentation", (Corpus) (in, s) -> {
				NiftiWriter.write(in.resolve("volume-0.nii"), TinyVolumes.ct());
				NiftiWriter.write(in.resolve("segmentation-0.nii"), TinyVolumes.labels(0));
				final byte[] b = Files.readAllBytes(in.resolve("segmentation-0.nii"));
				Files.write(in.resolve("segmentation-0.nii"), Arrays.copyOf(b, b.length - 10));
			}, new String[] { "segmentation-0.nii", "truncated" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badVolumes")
	void preprocessRefusesAMalformedVolume(final String name, final Corpus corpus, final String[] fragments) throws IOException {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
		corpus.make(in, Files.createDirectories(tmp.resolve("scratch")));
		final Map<String, String> input = Launch.snapshot(in);
		Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=16").refused(fragments);
		assertEquals(input, Launch.snapshot(in), "the input is never modified");
		Launch.assertNoPartFiles(out);
		assertFalse(Files.exists(out.resolve("images/image_0_0.png")), "no slice of a refused volume is written");
	}

	@Test
	void theOneVolumeFormOfTheInputKeyGivesTheSameMessage() throws IOException {
		final Path bad = Files.write(tmp.resolve("volume-9.nii"), new byte[0]);
		Launch.run("UNet3+ Preprocess", "input=" + q(bad) + ",output=" + q(tmp.resolve("out")) + ",size=16").refused("volume-9.nii", "empty (0 bytes)");
	}

	/** NB: spacing is a warning, not a refusal: the seed reads voxel arrays only, so LiTS cases with slightly different headers still prepare. */
	@Test
	void aSegmentationWithAnotherSpacingIsPreparedWithAWarning() throws IOException {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
		NiftiWriter.write(in.resolve("volume-0.nii"), TinyVolumes.ct());
		NiftiWriter.write(in.resolve("segmentation-0.nii"), TinyVolumes.labels(0, 0.8, 0.8, 5));
		final Launch.Outcome o = Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=16").ok();
		assertTrue(o.err().contains("segmentation-0.nii") && o.err().contains("spacing"), o.err());
		assertEquals(TinyVolumes.K, count(out.resolve("mask")));
	}

	/** NB: labels outside 0/1/2 are merged into liver (seed rule 2.1.7: every non-zero label is 1), with a warning naming them. */
	@Test
	void unexpectedLabelsAreMergedWithAWarning() throws IOException {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
		NiftiWriter.write(in.resolve("volume-0.nii"), TinyVolumes.ct());
		NiftiWriter.write(in.resolve("segmentation-0.nii"), TinyVolumes.labels(7));
		final Launch.Outcome o = Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + ",size=16").ok();
		assertTrue(o.err().contains("segmentation-0.nii") && o.err().contains("label 7"), o.err());
		for (int k = 0; k < TinyVolumes.K; k++) {
			final SliceImage m = PngCodec.read(out.resolve("mask/mask_0_" + k + ".png"));
			for (final byte b : m.samples())
				assertTrue(b == 0 || b == 1, "masks stay 0/1");
		}
	}

	@Test
	void aDicomFolderMixingTwoSeriesIsRefused() throws IOException {
		final Path dicom = tmp.resolve("dicom");
		TinyDicom.axialSeries(dicom, "1.2.3.1", "a", 0, 2.5, 5);
		TinyDicom.axialSeries(dicom, "1.2.3.2", "b", 0, 2.5, 5);
		overlay(dicom).refused("dicom", "mixes 2 series");
	}

	@Test
	void aDicomSeriesWithAMissingSliceIsRefused() throws IOException {
		final Path dicom = tmp.resolve("dicom");
		TinyDicom.axialSeries(dicom, "1.2.3.1", "a", 0, 2.5, 5, 10, 12.5);
		overlay(dicom).refused("dicom", "slices are missing");
	}

	private Launch.Outcome overlay(final Path ct) throws IOException {
		final Path labels = tmp.resolve("labels.nii");
		NiftiWriter.write(labels, Volume.of(ArrayImgs.unsignedBytes(4, 3, 5), VolumeGeometry.ofSpacing(1, 1, 2.5)));
		final Path out = tmp.resolve("overlay");
		final Launch.Outcome o = Launch.run("UNet3+ Overlay", "ct=" + q(ct) + ",prediction=" + q(labels) + ",output=" + q(out));
		assertFalse(Files.exists(out), "no output for a refused CT");
		return o;
	}

	private static long count(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.count();
		}
	}

	static {
		// Keep the fixtures' byte order assumption visible: NiftiWriter writes little-endian.
		assertEquals(ByteOrder.LITTLE_ENDIAN, TinyVolumes.header(new byte[4]).order());
	}
}
