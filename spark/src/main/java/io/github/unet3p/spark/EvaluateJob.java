package io.github.unet3p.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

import io.github.unet3p.core.metrics.CaseMetrics;
import io.github.unet3p.core.metrics.CasePairing;
import io.github.unet3p.core.metrics.GlobalMetrics;
import io.github.unet3p.core.metrics.LabelRule;
import io.github.unet3p.core.metrics.LitsEvaluator;
import io.github.unet3p.core.metrics.MetricsCsv;
import io.github.unet3p.core.metrics.MetricsText;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Evaluate}'s LiTS metrics on Spark: the cases are paired on the driver by
 * {@link CasePairing}'s rules, each case is evaluated by {@link LitsEvaluator} in its own task, and
 * the driver adds them up in the command's order ({@link GlobalMetrics}), so the per-case lines, the
 * global line and the CSV are the command's, byte for byte.
 *
 * <p>Keys: {@code prediction}, {@code truth}, {@code output}, {@code label}. The seed Dice
 * ({@code model} + {@code data}) runs a model over prepared slices on one machine and is refused here.
 * A case that cannot be evaluated fails the job (exit 1, no CSV), as it fails the command.
 */
final class EvaluateJob {

	/** The command's name, as the launcher knows it. */
	static final String COMMAND = "UNet3+ Evaluate";

	private static final Set<String> KEYS = Set.of("prediction", "truth", "output", "label", "model", "data", "batch", "precision");

	private EvaluateJob() {}

	/** One case's two files, relative to the prediction and truth inputs (empty: the input itself). */
	record CaseFiles(String name, String prediction, String truth) implements Serializable {}

	/** One case's result: its metrics as numbers, or why it failed. */
	record CaseRow(String name, long[] counts, double[] distances, String error) implements Serializable {

		CaseMetrics metrics() {
			return new CaseMetrics(counts[0], counts[1], counts[2], counts[3], counts[4], distances[0], distances[1], distances[2]);
		}
	}

	/** Runs the job; returns the exit status. */
	static int run(final JavaSparkContext sc, final Map<String, String> keyValues, final PrintStream out) throws IOException {
		final Keys keys = new Keys(COMMAND, keyValues, KEYS);
		for (final String k : new String[] { "model", "data", "batch", "precision" })
			if (!keys.text(k, "").isEmpty())
				throw new InvalidInputException(COMMAND + " on Spark computes the LiTS metrics only; the seed Dice (" + k
						+ "=...) runs on one machine: ./unet3p --headless --run \"" + COMMAND + "\" without --spark.");
		final LabelRule rule = LabelRule.parse(keys.text("label", "liver"));
		final Configuration conf = sc.hadoopConfiguration();
		final Path prediction = HadoopFiles.qualified(keys.required("prediction"), conf);
		final Path truth = HadoopFiles.qualified(keys.required("truth"), conf);
		final Path output = HadoopFiles.qualified(keys.required("output"), conf);
		final List<CaseFiles> pairs = new ArrayList<>();
		for (final CasePairing.NamedPair p : pair(prediction, truth, conf))
			pairs.add(new CaseFiles(p.name(), p.prediction(), p.truth()));
		out.println("Evaluating " + pairs.size() + " case(s) on Spark " + sc.master() + ", " + pairs.size() + " task(s)");
		final List<CaseRow> rows = sc.parallelize(pairs, pairs.size()).map(new CaseTask(prediction.toString(), truth.toString(), rule, new HadoopConf(conf)))
				.collect();
		final GlobalMetrics all = new GlobalMetrics();
		final List<String> failed = new ArrayList<>();
		for (final CaseRow r : rows) {
			if (r.error() != null) {
				failed.add(r.name());
				out.println("FAILED " + r.name() + ": " + r.error());
				continue;
			}
			all.add(r.name(), r.metrics());
			out.println(MetricsText.line(r.name(), r.metrics()));
		}
		if (!failed.isEmpty()) {
			out.println(failed.size() + " of " + pairs.size() + " case(s) could not be evaluated: " + String.join(", ", failed) + "; no metrics written.");
			return 1;
		}
		HadoopFiles.publish(MetricsCsv.format(all).getBytes(StandardCharsets.UTF_8), output, conf, "driver");
		out.println(MetricsText.global(all));
		out.println("Metrics written to " + output);
		return 0;
	}

	/** The cases: two files as they are, two folders by {@link CasePairing#pairNames}. Names are relative to the two inputs. */
	private static List<CasePairing.NamedPair> pair(final Path prediction, final Path truth, final Configuration conf) throws IOException {
		final FileStatus p = HadoopFiles.status(prediction, conf), t = HadoopFiles.status(truth, conf);
		if (p == null) throw new InvalidInputException("Prediction " + prediction + " does not exist.");
		if (t == null) throw new InvalidInputException("Truth " + truth + " does not exist.");
		if (!p.isDirectory() && !t.isDirectory()) return List.of(new CasePairing.NamedPair(CasePairing.stem(prediction.getName()), "", ""));
		if (p.isDirectory() != t.isDirectory())
			throw new InvalidInputException("Give two files or two folders: prediction " + prediction + " is a " + (p.isDirectory() ? "folder" : "file") + ", truth "
					+ truth + " a " + (t.isDirectory() ? "folder" : "file") + ".");
		return CasePairing.pairNames(names(prediction, conf), prediction.toString(), names(truth, conf), truth.toString());
	}

	private static List<String> names(final Path folder, final Configuration conf) throws IOException {
		final List<String> names = new ArrayList<>();
		for (final FileStatus f : HadoopFiles.files(folder, conf))
			names.add(f.getPath().getName());
		return names;
	}

	/** One task: reads one case's two label volumes (local copies when remote) and computes its metrics. */
	static final class CaseTask implements Function<CaseFiles, CaseRow> {

		private static final long serialVersionUID = 1L;

		private final String prediction;
		private final String truth;
		private final LabelRule rule;
		private final HadoopConf conf;

		CaseTask(final String prediction, final String truth, final LabelRule rule, final HadoopConf conf) {
			this.prediction = prediction;
			this.truth = truth;
			this.rule = rule;
			this.conf = conf;
		}

		@Override
		public CaseRow call(final CaseFiles pair) throws IOException {
			System.setProperty("java.awt.headless", "true");
			final Path p = pair.prediction().isEmpty() ? new Path(prediction) : new Path(prediction, pair.prediction());
			final Path t = pair.truth().isEmpty() ? new Path(truth) : new Path(truth, pair.truth());
			final java.nio.file.Path scratch = Files.createTempDirectory("unet3p-case-");
			try {
				final java.nio.file.Path lp = HadoopFiles.readable(p, conf.get(), scratch.resolve("p"));
				final java.nio.file.Path lt = HadoopFiles.readable(t, conf.get(), scratch.resolve("t"));
				final Volume pv = VolumeFiles.read(lp), tv = VolumeFiles.read(lt);
				final CaseMetrics m = LitsEvaluator.evaluate(pv, lp.toString(), tv, lt.toString(), rule, Cancellation.none(), ProgressListener.NONE);
				return new CaseRow(pair.name(),
						new long[] { m.truePositives(), m.falsePositives(), m.falseNegatives(), m.predictionSurfaceVoxels(), m.truthSurfaceVoxels() },
						new double[] { m.assdMm(), m.mssdMm(), m.hd95Mm() }, null);
			}
			catch (final InvalidInputException e) {
				return new CaseRow(pair.name(), null, null, e.getMessage());
			}
			finally {
				HadoopFiles.deleteTree(scratch);
			}
		}
	}
}
