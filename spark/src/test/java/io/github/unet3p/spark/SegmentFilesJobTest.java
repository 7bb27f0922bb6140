package io.github.unet3p.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.launcher.RunOptions;

/**
 * The acceptance of {@code UNet3+ Segment Files} on Spark {@code local[2]}, against the plugin's own
 * command run by its launcher in a child JVM on the same held-out sample volumes with the same
 * (tiny, untrained) model: byte-identical labels and probability maps, a corrupt volume among good
 * ones, an attempt that dies half-way through writing a volume, and a resumed run.
 */
class SegmentFilesJobTest {

	@TempDir
	static Path shared;
	static Path model;
	static Path input;
	/** What UNet3+ Segment Files writes for {@link #input} with probabilities=true. */
	static Map<String, byte[]> reference;
	static JavaSparkContext sc;

	@TempDir
	Path tmp;

	@BeforeAll
	static void setUp() throws Exception {
		model = SparkFixtures.tinyModel(shared.resolve("model"), 2, 32);
		input = SparkFixtures.sampleVolumes(shared.resolve("in"), 6, 7);
		final Path ref = shared.resolve("ref");
		SparkFixtures.launcher(0, SegmentRequest.COMMAND, "model='" + model + "',input='" + input + "',output='" + ref + "',probabilities=true");
		reference = SparkFixtures.files(ref);
		assertEquals(List.of("segmentation-6-prob-0.nii.gz", "segmentation-6-prob-1.nii.gz", "segmentation-6.nii.gz", "segmentation-7-prob-0.nii.gz",
				"segmentation-7-prob-1.nii.gz", "segmentation-7.nii.gz"), List.copyOf(reference.keySet()));
		sc = SparkMain.context("local[2]", "unet3p-test");
	}

	@AfterAll
	static void tearDown() {
		if (sc != null) sc.close();
		ExecutorModels.closeAll();
	}

	private static SparkFixtures.Run segment(final String options, final SegmentFilesJob.TaskFactory task) throws Exception {
		final SegmentRequest request = SegmentRequest.parse(RunOptions.parse(options));
		return SparkFixtures.capture(out -> SegmentFilesJob.run(sc, request, task, out));
	}

	private static String options(final Path in, final Path out, final String more) {
		return "model='" + model + "',input='" + in + "',output='" + out + "',probabilities=true" + (more.isEmpty() ? "" : "," + more);
	}

	private static List<String> summary(final Path out) throws IOException {
		return Files.readAllLines(out.resolve(SegmentFilesJob.SUMMARY));
	}

	private static void assertSameAsSegmentFiles(final Path out, final String... cases) throws IOException {
		final Map<String, byte[]> written = SparkFixtures.files(out);
		written.remove(SegmentFilesJob.SUMMARY);
		int compared = 0;
		for (final Map.Entry<String, byte[]> e : reference.entrySet()) {
			if (Arrays.stream(cases).noneMatch(c -> e.getKey().startsWith("segmentation-" + c))) continue;
			assertArrayEquals(e.getValue(), written.remove(e.getKey()), e.getKey() + " differs from UNet3+ Segment Files' file");
			compared++;
		}
		assertEquals(3 * cases.length, compared);
		assertEquals(Map.of(), written, "files Segment Files does not write (temporary files, checksums)");
	}

	@Test
	void theHeldOutVolumesSegmentToTheFilesSegmentFilesWrites() throws Exception {
		final Path out = tmp.resolve("out");
		final int openedBefore = ExecutorModels.opened();
		final SparkFixtures.Run run = segment(options(input, out, ""), SegmentTask::new);
		assertEquals(0, run.status(), run.out());
		assertSameAsSegmentFiles(out, "6", "7");
		final List<String> rows = summary(out);
		assertEquals(VolumeRow.HEADER, rows.get(0));
		assertEquals(3, rows.size());
		for (final String r : rows.subList(1, 3)) {
			final String[] f = r.split(",");
			assertEquals(VolumeRow.SEGMENTED, f[1], r);
			assertEquals("40", f[f.length - 3], "slices: " + r);
			assertFalse(f[f.length - 1].isEmpty(), "executor: " + r);
		}
		assertTrue(rows.get(1).startsWith("file:" + input.resolve("volume-6.nii.gz")), rows.get(1));
		// NB: other tests of this class may have opened models of other engines first.
		final int opened = ExecutorModels.opened() - openedBefore;
		assertTrue(opened <= 2, "one model per task slot of local[2], opened " + opened);
	}

	/**
	 * engine=onnxruntime: the same files as the plugin's command on ONNX Runtime (which exports and
	 * caches the bundle's model.onnx on first use; the tasks then read it), one thread per task.
	 */
	@Test
	void onOnnxRuntimeTheVolumesSegmentToTheFilesSegmentFilesWrites() throws Exception {
		final Path ref = tmp.resolve("ref-onnxruntime");
		SparkFixtures.launcher(0, SegmentRequest.COMMAND, options(input, ref, "engine=onnxruntime"));
		final Map<String, byte[]> expected = SparkFixtures.files(ref);
		assertEquals(reference.keySet(), expected.keySet());
		final Path out = tmp.resolve("out");
		final SparkFixtures.Run run = segment(options(input, out, "engine=onnxruntime"), SegmentTask::new);
		assertEquals(0, run.status(), run.out());
		final Map<String, byte[]> written = SparkFixtures.files(out);
		written.remove(SegmentFilesJob.SUMMARY);
		assertEquals(expected.keySet(), written.keySet());
		for (final Map.Entry<String, byte[]> e : expected.entrySet())
			assertArrayEquals(e.getValue(), written.get(e.getKey()), e.getKey() + " differs from UNet3+ Segment Files' file (engine=onnxruntime)");
		assertTrue(Files.isRegularFile(model.resolve("model.onnx")), "the export cached in the bundle");
	}

	@Test
	void aCorruptVolumeIsARowOfTheSummaryAndTheOthersAreWritten() throws Exception {
		final Path in = SparkFixtures.sampleVolumes(tmp.resolve("in"), 6, 7);
		final byte[] good = Files.readAllBytes(in.resolve("volume-6.nii.gz"));
		Files.write(in.resolve("volume-8.nii.gz"), Arrays.copyOf(good, good.length / 3));
		final Path out = tmp.resolve("out");
		final SparkFixtures.Run run = segment(options(in, out, ""), SegmentTask::new);
		assertEquals(1, run.status(), "a failed volume makes the job exit non-zero");
		assertTrue(run.out().contains("1 of 3 volume(s) could not be segmented"), run.out());
		assertSameAsSegmentFiles(out, "6", "7");
		final List<String> rows = summary(out);
		assertEquals(4, rows.size());
		final String bad = rows.get(3);
		assertTrue(bad.contains("volume-8.nii.gz") && bad.contains("," + VolumeRow.FAILED + ","), bad);
		assertTrue(bad.split(",", 3)[2].contains("volume-8.nii.gz"), "the message names the file: " + bad);
	}

	/** Fails the first attempt of volume 7 half-way through writing its label file, as a lost executor would. */
	static final class DyingTask extends SegmentTask {

		private static final long serialVersionUID = 1L;
		static final AtomicInteger DEATHS = new AtomicInteger();
		static volatile boolean labelsSeenBeforeDeath;

		DyingTask(final SegmentRequest request, final String model, final HadoopConf conf) {
			super(request, model, conf);
		}

		@Override
		protected void publish(final Path local, final org.apache.hadoop.fs.Path target, final Configuration hadoop, final String tag) throws IOException {
			if (TaskContext.get().attemptNumber() == 0 && target.getName().equals("segmentation-7.nii.gz")) {
				final byte[] bytes = Files.readAllBytes(local);
				final Path part = HadoopFiles.local(HadoopFiles.temporary(target, tag));
				Files.write(part, Arrays.copyOf(bytes, bytes.length / 2));
				labelsSeenBeforeDeath |= Files.exists(HadoopFiles.local(target));
				DEATHS.incrementAndGet();
				throw new IOException("simulated executor loss while writing " + target);
			}
			super.publish(local, target, hadoop, tag);
		}
	}

	@Test
	void anAttemptKilledMidVolumeIsRetriedAndTheResultIsTheSame() throws Exception {
		final Path out = tmp.resolve("out");
		DyingTask.DEATHS.set(0);
		final SparkFixtures.Run run = segment(options(input, out, ""), DyingTask::new);
		assertEquals(0, run.status(), run.out());
		assertEquals(1, DyingTask.DEATHS.get(), "the first attempt of volume 7 died after its probability maps, half-way through its labels");
		assertFalse(DyingTask.labelsSeenBeforeDeath, "no label file while its volume was unfinished");
		assertSameAsSegmentFiles(out, "6", "7");
	}

	@Test
	void skipExistingDoesOnlyWhatIsMissing() throws Exception {
		final Path out = tmp.resolve("out");
		assertEquals(0, segment(options(input, out, ""), SegmentTask::new).status());
		Files.delete(out.resolve("segmentation-7.nii.gz"));
		final InvalidInputException refused = assertThrows(InvalidInputException.class, () -> segment(options(input, out, ""), SegmentTask::new));
		assertTrue(refused.getMessage().contains("already exist") && refused.getMessage().contains("overwrite=true"), refused.getMessage());
		Files.writeString(out.resolve(".segmentation-7.nii.gz.attempt99.part"), "left by a killed writer");
		final SparkFixtures.Run rerun = segment(options(input, out, "skip_existing=true"), SegmentTask::new);
		assertEquals(0, rerun.status(), rerun.out());
		assertTrue(rerun.out().contains("Deleted 1 temporary file(s)"), rerun.out());
		final List<String> rows = summary(out);
		assertTrue(rows.get(1).contains("," + VolumeRow.SKIPPED + ","), rows.get(1));
		assertTrue(rows.get(2).contains("," + VolumeRow.SEGMENTED + ","), rows.get(2));
		assertSameAsSegmentFiles(out, "6", "7");
	}

	@Test
	void volumesOnAnotherFileSystemAreCopiedToTheTaskAndPublishedThroughHadoop() throws Exception {
		sc.hadoopConfiguration().set("fs." + OtherSchemeFileSystem.SCHEME + ".impl", OtherSchemeFileSystem.class.getName());
		final Path out = tmp.resolve("out");
		final String scheme = OtherSchemeFileSystem.SCHEME + "://";
		final SparkFixtures.Run run = segment("model='" + scheme + model + "',input='" + scheme + input + "',output='" + scheme + out + "',probabilities=true",
				SegmentTask::new);
		assertEquals(0, run.status(), run.out());
		assertTrue(summary(out).get(1).startsWith(OtherSchemeFileSystem.SCHEME + ":" + input.resolve("volume-6.nii.gz")), summary(out).get(1));
		assertSameAsSegmentFiles(out, "6", "7");
	}

	@Test
	void evaluationOnSparkWritesTheCsvOfUNet3pEvaluate() throws Exception {
		final Path prediction = shared.resolve("ref");
		final Path byCommand = tmp.resolve("command.csv"), bySpark = tmp.resolve("spark.csv");
		final String log = SparkFixtures.launcher(0, EvaluateJob.COMMAND,
				"prediction='" + prediction + "',truth='" + SparkFixtures.SAMPLE_TEST + "',output='" + byCommand + "'");
		final SparkFixtures.Run run = SparkFixtures.capture(out -> EvaluateJob.run(sc,
				RunOptions.parse("prediction='" + prediction + "',truth='" + SparkFixtures.SAMPLE_TEST + "',output='" + bySpark + "'"), out));
		assertEquals(0, run.status(), run.out());
		assertArrayEquals(Files.readAllBytes(byCommand), Files.readAllBytes(bySpark), "the CSV of UNet3+ Evaluate");
		assertEquals(4, Files.readAllLines(bySpark).size(), "header, 2 cases, global");
		final String global = run.out().lines().filter(l -> l.startsWith("global") || l.contains("global Dice")).findFirst().orElseThrow();
		assertTrue(log.contains(global), "the command's global line: " + global + "\n" + log);
	}
}
