package io.github.unet3p.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import io.github.unet3p.core.infer.FolderSegmentation;
import io.github.unet3p.core.infer.SegmentFilesKeys;
import io.github.unet3p.core.infer.SegmentTargets;
import io.github.unet3p.core.model.BundleArchive;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Segment Files} on Spark, the driver's part: plans the volumes by the command's
 * naming rules ({@link SegmentTargets}) over a Hadoop listing, handles existing outputs as the
 * command does ({@code overwrite}, {@code skip_existing}, leftovers of killed writers), runs one
 * {@link SegmentTask} per volume and writes {@code summary.csv} beside the labels.
 *
 * <p>Exit status: 0 when every volume was segmented or skipped, 1 when any failed (after the others
 * were written; {@code summary.csv} names them with their message).
 */
final class SegmentFilesJob {

	/** Name of the summary written into the output folder. */
	static final String SUMMARY = "summary.csv";

	private static final String[] LIST_FILE = { ".txt", ".list", ".lst" };

	private SegmentFilesJob() {}

	/**
	 * Runs the job; returns the exit status.
	 *
	 * @param task the per-volume function (the tests pass one that fails an attempt on purpose)
	 * @throws InvalidInputException for what stops the job before any volume is segmented: a
	 *             missing input, an unreadable model, existing outputs without {@code overwrite}, ...
	 */
	static int run(final JavaSparkContext sc, final SegmentRequest request, final TaskFactory task, final PrintStream out) throws IOException {
		final Configuration conf = sc.hadoopConfiguration();
		final Path model = HadoopFiles.qualified(request.model(), conf);
		final Path input = HadoopFiles.qualified(request.input(), conf);
		final Path output = HadoopFiles.qualified(request.output(), conf);
		final int classes = classes(model, conf);
		final List<VolumeTarget> planned = plan(input, output, classes, request.probabilities(), conf);
		final Path folder = SegmentTargets.isNifti(output.getName()) ? output.getParent() : output;
		try (FolderLock lock = HadoopFiles.isLocal(folder) ? FolderLock.acquire(HadoopFiles.local(folder)) : null) {
			return run(sc, request, task, planned, model, output, folder, conf, out);
		}
	}

	private static int run(final JavaSparkContext sc, final SegmentRequest request, final TaskFactory task, final List<VolumeTarget> planned, final Path model,
			final Path output, final Path folder, final Configuration conf, final PrintStream out) throws IOException {
		final List<Path> outputs = new ArrayList<>();
		for (final VolumeTarget t : planned)
			for (final String o : t.outputs())
				outputs.add(new Path(o));
		final int leftovers = HadoopFiles.deleteLeftovers(outputs, conf);
		if (leftovers > 0) out.println("Deleted " + leftovers + " temporary file(s) left in " + output + " by an interrupted run");
		final List<VolumeTarget> todo = new ArrayList<>();
		final Map<VolumeTarget, VolumeRow> skipped = new HashMap<>();
		final List<String> existing = new ArrayList<>();
		for (final VolumeTarget t : planned) {
			if (request.existing() == FolderSegmentation.Existing.SKIP && HadoopFiles.status(new Path(t.labels()), conf) != null) {
				final String why = "Skipped " + t.name() + ": " + t.labels() + " exists (" + SegmentFilesKeys.SKIP_EXISTING + "=true)";
				skipped.put(t, new VolumeRow(t.input(), VolumeRow.SKIPPED, why, -1, 0, "", 0));
				continue;
			}
			todo.add(t);
			if (request.existing() == FolderSegmentation.Existing.REFUSE)
				for (final String o : t.outputs())
					if (HadoopFiles.status(new Path(o), conf) != null) existing.add(o);
		}
		if (!existing.isEmpty())
			throw new InvalidInputException(existing.size() + " output file(s) already exist: " + String.join(", ", existing.subList(0, Math.min(3, existing.size())))
					+ (existing.size() > 3 ? ", ..." : "") + ". Remove them, choose another output, or set " + SegmentFilesKeys.OVERWRITE + "=true.");
		if (!todo.isEmpty())
			out.println(String.format(Locale.ROOT, "Segmenting %d volume(s) with %s (%s) on Spark %s, %d task(s)", todo.size(), model, request.settings(),
					sc.master(), todo.size()));
		final List<VolumeRow> done = todo.isEmpty() ? List.of()
				: sc.parallelize(todo, todo.size()).map(task.create(request, model.toString(), new HadoopConf(conf))).collect();
		// NB: what killed attempts left: every attempt has ended now.
		HadoopFiles.deleteLeftovers(outputs, conf);
		final List<VolumeRow> rows = new ArrayList<>();
		int next = 0;
		for (final VolumeTarget t : planned)
			rows.add(skipped.containsKey(t) ? skipped.get(t) : done.get(next++));
		final Path summary = new Path(folder, SUMMARY);
		HadoopFiles.publish(VolumeRow.csv(rows).getBytes(StandardCharsets.UTF_8), summary, conf, "driver");
		final List<String> failed = new ArrayList<>();
		double ml = 0;
		int segmented = 0;
		for (final VolumeRow r : rows) {
			out.println(r.status().equals(VolumeRow.FAILED) ? "FAILED " + r.volume() + ": " + r.message() : r.message());
			if (r.status().equals(VolumeRow.FAILED)) failed.add(r.volume());
			if (r.status().equals(VolumeRow.SEGMENTED)) {
				segmented++;
				ml += r.foregroundMl();
			}
		}
		out.println("Summary written to " + summary);
		if (!failed.isEmpty()) {
			out.println(failed.size() + " of " + todo.size() + " volume(s) could not be segmented: " + String.join(", ", failed) + " (the others were written to "
					+ output + ").");
			return 1;
		}
		if (segmented > 1) out.println(String.format(Locale.ROOT, "%d volumes segmented, %.1f ml foreground in all, in %s", segmented, ml, output));
		if (!skipped.isEmpty()) out.println(String.format(Locale.ROOT, "%d of %d volume(s) skipped: their label files already existed (%s=true)", skipped.size(),
				planned.size(), SegmentFilesKeys.SKIP_EXISTING));
		return 0;
	}

	/** Makes the per-volume function of a job. */
	@FunctionalInterface
	interface TaskFactory {

		/** The function segmenting one volume of {@code request} with the bundle at {@code model}. */
		SegmentTask create(SegmentRequest request, String model, HadoopConf conf);
	}

	/** Reads the bundle's spec on the driver (a bad bundle stops the job before any task): its output channels. */
	private static int classes(final Path model, final Configuration conf) throws IOException {
		if (HadoopFiles.status(model, conf) == null) throw new InvalidInputException("Model " + model + " does not exist.");
		final java.nio.file.Path scratch = Files.createTempDirectory("unet3p-driver-model-");
		try {
			final java.nio.file.Path local = HadoopFiles.readable(model, conf, scratch);
			final ModelBundle bundle;
			try (BundleArchive archive = BundleArchive.open(local)) {
				bundle = archive.read();
			}
			return bundle.architecture().classes();
		}
		finally {
			HadoopFiles.deleteTree(scratch);
		}
	}

	/**
	 * The volumes of {@code input} and their files under {@code output}, by the rules of
	 * {@link SegmentTargets} (plus list files).
	 */
	static List<VolumeTarget> plan(final Path input, final Path output, final int classes, final boolean probabilities, final Configuration conf)
			throws IOException {
		final FileStatus in = HadoopFiles.status(input, conf);
		if (in == null) throw new InvalidInputException("Input " + input + " does not exist.");
		final FileStatus outStatus = HadoopFiles.status(output, conf);
		final boolean outputIsFile = SegmentTargets.isNifti(output.getName());
		if (!outputIsFile && outStatus != null && outStatus.isFile())
			throw new InvalidInputException("Output " + output + " is an existing file that is not NIfTI; give a name ending in .nii.gz, or a folder.");
		final List<Path> volumes = new ArrayList<>();
		boolean many = false;
		if (in.isDirectory()) {
			final List<String> names = new ArrayList<>();
			for (final FileStatus f : HadoopFiles.files(input, conf))
				names.add(f.getPath().getName());
			for (final String n : SegmentTargets.volumeNames(names))
				volumes.add(new Path(input, n));
			many = !volumes.isEmpty();
			if (volumes.isEmpty()) {
				if (!isDicomFolder(input, names, conf))
					throw new InvalidInputException("Folder " + input + " holds no volume-N.nii[.gz], no .nii/.nii.gz volume and no DICOM series.");
				volumes.add(input);
			}
		}
		else if (isListFile(input.getName())) {
			volumes.addAll(listed(input, conf));
			many = true;
		}
		else volumes.add(input);
		if (many && outputIsFile)
			throw new InvalidInputException("Output " + output + " is a file name, but input " + input + " holds " + volumes.size() + " volume(s); give an output folder.");
		final List<VolumeTarget> targets = new ArrayList<>();
		final Map<String, String> writers = new HashMap<>();
		for (final Path v : volumes) {
			final Path labels = outputIsFile ? output : new Path(output, SegmentTargets.labelName(v.getName()));
			final List<String> maps = new ArrayList<>();
			if (probabilities) for (final String n : SegmentTargets.probabilityNames(labels.getName(), classes))
				maps.add(new Path(labels.getParent(), n).toString());
			final VolumeTarget t = new VolumeTarget(v.toString(), v.getName(), labels.toString(), List.copyOf(maps));
			for (final String o : t.outputs()) {
				if (o.equals(t.input())) throw new InvalidInputException("Output " + o + " is the input volume itself; choose another output.");
				final String other = writers.put(o, v.getName());
				if (other != null)
					throw new InvalidInputException("Inputs " + other + " and " + v.getName() + " would both be written to " + o + "; keep only one of them in " + input + ".");
			}
			targets.add(t);
		}
		return targets;
	}

	private static boolean isListFile(final String name) {
		final String n = name.toLowerCase(Locale.ROOT);
		for (final String ext : LIST_FILE)
			if (n.endsWith(ext)) return true;
		return false;
	}

	/** The volumes a list file names: one per line, relative to the list's folder; blank lines and # comments skipped. */
	private static List<Path> listed(final Path list, final Configuration conf) throws IOException {
		final List<Path> volumes = new ArrayList<>();
		final String text;
		try (var in = HadoopFiles.fileSystem(list, conf).open(list)) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		for (final String line : text.split("\r?\n")) {
			final String l = line.strip();
			if (l.isEmpty() || l.startsWith("#")) continue;
			final Path p = new Path(l);
			final Path v = p.isAbsolute() || p.toUri().getScheme() != null ? p : new Path(list.getParent(), l);
			volumes.add(HadoopFiles.fileSystem(v, conf).makeQualified(v));
		}
		if (volumes.isEmpty()) throw new InvalidInputException("List file " + list + " names no volume.");
		return volumes;
	}

	/**
	 * Whether a folder without NIfTI volumes is a DICOM series: on a local disk by the Fiji reader's
	 * own test (a {@code .dcm} file or the DICM preamble); elsewhere by a {@code .dcm} file name.
	 */
	private static boolean isDicomFolder(final Path folder, final List<String> names, final Configuration conf) {
		if (HadoopFiles.isLocal(folder)) return VolumeFiles.READER.isVolumeFolder(HadoopFiles.local(folder));
		return names.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).endsWith(".dcm"));
	}
}
