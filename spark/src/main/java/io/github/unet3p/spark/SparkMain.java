package io.github.unet3p.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.launcher.RunOptions;

/**
 * The Spark door's command line, the launcher's {@code --run} syntax on a Spark master:
 *
 * <pre>
 * ./unet3p --spark local[*] --run "UNet3+ Segment Files" "model='m',input='in',output='out'"
 * spark-submit --class io.github.unet3p.spark.SparkMain unet3p-spark-&lt;version&gt;.jar --run "UNet3+ Segment Files" "..."
 * </pre>
 *
 * Commands: {@code UNet3+ Segment Files} ({@link SegmentFilesJob}) and {@code UNet3+ Evaluate}
 * ({@link EvaluateJob}). {@code --master} sets the master unless {@code spark-submit} did; without
 * either it is {@code local[*]}. Exit status as the launcher's: 0 success, 1 when the command (or a
 * volume) failed, with one message and no stack trace, 2 for a malformed command line.
 *
 * <p>NB: Spark runs each task of a {@code local[N]} master once; this door runs local masters as
 * {@code local[N,4]}, so a failed attempt is retried as on a cluster ({@code spark.task.maxFailures}
 * is 4 there).
 */
public final class SparkMain {

	/** Attempts per task on a local master, as {@code spark.task.maxFailures} on a cluster. */
	static final int LOCAL_ATTEMPTS = 4;

	private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)\\])?");
	private static final String USAGE = String.join("\n", "usage: SparkMain [--master <master>] [--conf <key>=<value>]... --run \"<command>\" \"<key>=<value>,...\"",
			"  <command>: \"UNet3+ Segment Files\" or \"UNet3+ Evaluate\" (the keys are the commands' own; see README)",
			"  <master>:  local[*] (default), local[N], spark://host:7077, yarn, k8s://...; spark-submit sets it itself");

	private SparkMain() {}

	/** Runs the command line and exits the JVM with its status. */
	public static void main(final String... args) {
		System.exit(run(System.out, System.err, args));
	}

	/** Runs the command line; returns the exit status. */
	static int run(final PrintStream out, final PrintStream err, final String... args) {
		final CommandLine line;
		final Map<String, String> keys;
		try {
			line = CommandLine.parse(args);
			if (line.help()) {
				out.println(USAGE);
				return 0;
			}
		}
		catch (final InvalidInputException e) {
			err.println("unet3p-spark: " + e.getMessage() + "\n" + USAGE);
			return 2;
		}
		try {
			keys = RunOptions.parse(line.options());
		}
		catch (final InvalidInputException e) {
			err.println("unet3p-spark: " + e.getMessage());
			return 2;
		}
		return dispatch(line, keys, out, err);
	}

	/**
	 * The command line: {@code --master} (also {@code --spark}), {@code --conf key=value}...,
	 * {@code --run "<command>" "<keys>"}, {@code --help}; {@code --headless} is accepted and ignored.
	 */
	private record CommandLine(String master, Map<String, String> sparkConf, String command, String options, boolean help) {

		/** @throws InvalidInputException naming what is malformed */
		static CommandLine parse(final String... args) {
			String master = null, command = null, options = "";
			final Map<String, String> sparkConf = new java.util.LinkedHashMap<>();
			final List<String> rest = new ArrayList<>(List.of(args));
			while (!rest.isEmpty()) {
				final String a = rest.remove(0);
				switch (a) {
					case "--headless" -> {}
					case "--master", "--spark" -> master = value(a, rest);
					case "--conf" -> {
						final String kv = value(a, rest);
						final int eq = kv.indexOf('=');
						if (eq < 1) throw new InvalidInputException("--conf needs key=value, not '" + kv + "'");
						sparkConf.put(kv.substring(0, eq), kv.substring(eq + 1));
					}
					case "--run" -> {
						command = value(a, rest);
						options = rest.isEmpty() ? "" : rest.remove(0);
					}
					case "--help", "-h" -> {
						return new CommandLine(master, sparkConf, command, options, true);
					}
					default -> throw new InvalidInputException("unexpected argument '" + a + "'");
				}
			}
			if (command == null) throw new InvalidInputException("give --run \"<command>\" \"<keys>\"");
			return new CommandLine(master, sparkConf, command, options, false);
		}
	}

	/** Runs the command of {@code line} on Spark; exit status 0, 1 (it or a volume failed) or 2 (no such command). */
	private static int dispatch(final CommandLine line, final Map<String, String> keys, final PrintStream out, final PrintStream err) {
		final String name = line.command();
		try {
			if (isSegmentFiles(name)) {
				final SegmentRequest request = SegmentRequest.parse(keys);
				try (JavaSparkContext sc = context(line.master(), SegmentRequest.COMMAND, line.sparkConf())) {
					return SegmentFilesJob.run(sc, request, SegmentTask::new, out);
				}
			}
			if (isEvaluate(name)) {
				try (JavaSparkContext sc = context(line.master(), EvaluateJob.COMMAND, line.sparkConf())) {
					return EvaluateJob.run(sc, keys, out);
				}
			}
			err.println("unet3p-spark: no command '" + name + "' on Spark; there are \"" + SegmentRequest.COMMAND + "\" and \"" + EvaluateJob.COMMAND + "\".");
			return 2;
		}
		catch (final InvalidInputException e) {
			err.println("[ERROR] " + e.getMessage());
			return 1;
		}
		catch (final java.io.IOException e) {
			err.println("[ERROR] " + name + ": " + e.getMessage());
			return 1;
		}
		catch (final RuntimeException e) {
			throw e;
		}
		catch (final Exception e) {
			// NB: Spark's job failures (SparkException: a task failed every attempt) are checked
			// exceptions Java does not see declared.
			err.println("[ERROR] " + name + " stopped: " + firstLine(e.getMessage()));
			return 1;
		}
		finally {
			ExecutorModels.closeAll();
		}
	}

	/**
	 * A Spark context on {@code master} (null: what spark-submit set, else {@code local[*]}), local
	 * masters with {@link #LOCAL_ATTEMPTS} attempts per task.
	 */
	static JavaSparkContext context(final String master, final String appName) {
		return context(master, appName, Map.of());
	}

	/** {@link #context(String, String)} with the Spark settings {@code settings} ({@code --conf key=value}). */
	static JavaSparkContext context(final String master, final String appName, final Map<String, String> settings) {
		final SparkConf conf = new SparkConf().setAppName(appName);
		settings.forEach(conf::set);
		String m = master != null ? master : conf.get("spark.master", "local[*]");
		final Matcher local = LOCAL.matcher(m);
		if (local.matches()) {
			m = "local[" + (local.group(1) == null ? "1" : local.group(1)) + "," + LOCAL_ATTEMPTS + "]";
			// NB: no web UI for a run on one machine (it would take a port for minutes).
			conf.setIfMissing("spark.ui.enabled", "false");
		}
		conf.setMaster(m);
		return new JavaSparkContext(conf);
	}

	private static boolean isSegmentFiles(final String name) {
		return name.equals(SegmentRequest.COMMAND) || name.equals("SegmentFilesCommand") || name.equals("io.github.unet3p.fiji.command.SegmentFilesCommand");
	}

	private static boolean isEvaluate(final String name) {
		return name.equals(EvaluateJob.COMMAND) || name.equals("EvaluateCommand") || name.equals("io.github.unet3p.fiji.command.EvaluateCommand");
	}

	private static String value(final String option, final List<String> rest) {
		if (rest.isEmpty()) throw new InvalidInputException(option + " needs a value");
		return rest.remove(0);
	}

	private static String firstLine(final String text) {
		if (text == null) return "";
		final int nl = text.indexOf('\n');
		return nl < 0 ? text : text.substring(0, nl);
	}
}
