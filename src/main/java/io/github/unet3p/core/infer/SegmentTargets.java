package io.github.unet3p.core.infer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.io.VolumeReader;

/**
 * Which volumes {@code UNet3+ Segment Files} (and its Spark door) reads and which files it writes for
 * each: the naming rules of batch segmentation in one place. The rules work on names, so a door that
 * lists folders on another file system (Hadoop's) applies them through {@link #volumeNames},
 * {@link #labelName(String)} and {@link #probabilityNames}.
 *
 * <ul>
 * <li>Input a folder of NIfTI volumes: its {@code volume-N.nii[.gz]} files (LiTS layout) if it has
 * any, else every {@code .nii}/{@code .nii.gz} file except this command's own outputs
 * ({@code segmentation-N}, {@code *-labels}, {@code *-prob-C}); {@code output} is then a folder.</li>
 * <li>Input one file ({@code .nii}, {@code .nii.gz}, {@code .tif}, {@code .dcm}) or a DICOM series
 * folder: {@code output} is either the label file itself (a name ending in {@code .nii} or
 * {@code .nii.gz}) or a folder.</li>
 * <li>Label file names in an output folder: {@code volume-N.*} → {@code segmentation-N.nii.gz}
 * (LiTS' own name, so Evaluate pairs it with the truth); any other input → {@code <stem>-labels.nii.gz}
 * (a DICOM folder's stem is its folder name).</li>
 * <li>Probability maps ({@code probabilities=true}) beside the labels:
 * {@code <label stem>-prob-<class>.nii.gz}, class = the label the probability is for (0 = background,
 * 1 = liver, …; a one-channel sigmoid model writes only {@code -prob-1}).</li>
 * </ul>
 */
public final class SegmentTargets {

	private static final Pattern LITS_VOLUME = Pattern.compile("volume-(\\d+)\\.nii(\\.gz)?", Pattern.CASE_INSENSITIVE);
	private static final Pattern OWN_OUTPUT = Pattern.compile("(segmentation-\\d+|.*-labels|.*-prob-\\d+)\\.nii(\\.gz)?", Pattern.CASE_INSENSITIVE);

	private SegmentTargets() {}

	/**
	 * One volume to segment and the files it becomes.
	 *
	 * @param input the volume file or DICOM series folder
	 * @param name the input's file name, for messages
	 * @param labels the label file
	 * @param probabilities the probability maps ({@code probabilities=true}), empty otherwise
	 */
	public record Job(Path input, String name, Path labels, List<Path> probabilities) {

		/** Every file this job writes, probabilities first, labels last (the order they are written). */
		public List<Path> outputs() {
			final List<Path> all = new ArrayList<>(probabilities);
			all.add(labels);
			return all;
		}
	}

	/**
	 * The jobs for {@code input} and {@code output}.
	 *
	 * @param classes the model's output channels (1 = one sigmoid channel)
	 * @param reader tells which folders are one volume (a DICOM series)
	 * @throws InvalidInputException when the input does not exist or holds no volume, a folder of
	 *             volumes is given a file as output, two inputs would write the same file, or an output
	 *             is the input itself
	 */
	public static List<Job> plan(final Path input, final Path output, final int classes, final boolean probabilities, final VolumeReader reader) {
		if (!Files.exists(input)) throw new InvalidInputException("Input " + input + " does not exist.");
		if (!isNifti(output) && Files.isRegularFile(output))
			throw new InvalidInputException("Output " + output + " is an existing file that is not NIfTI; give a name ending in .nii.gz, or a folder.");
		final List<Job> jobs = new ArrayList<>();
		final List<Path> volumes = Files.isDirectory(input) ? niftiVolumes(input) : List.of();
		if (Files.isDirectory(input) && !volumes.isEmpty()) {
			if (isNifti(output))
				throw new InvalidInputException("Output " + output + " is a file name, but input " + input + " is a folder of " + volumes.size()
						+ " volume(s); give an output folder.");
			for (final Path v : volumes)
				jobs.add(job(v, output.resolve(labelName(v)), classes, probabilities));
		}
		else {
			if (Files.isDirectory(input) && !reader.isVolumeFolder(input))
				throw new InvalidInputException("Folder " + input + " holds no volume-N.nii[.gz], no .nii/.nii.gz volume and no DICOM series.");
			jobs.add(job(input, isNifti(output) ? output : output.resolve(labelName(input)), classes, probabilities));
		}
		final Map<Path, Path> writers = new HashMap<>();
		for (final Job j : jobs)
			for (final Path out : j.outputs()) {
				final Path key = out.toAbsolutePath().normalize();
				if (key.equals(j.input().toAbsolutePath().normalize()))
					throw new InvalidInputException("Output " + out + " is the input volume itself; choose another output.");
				final Path other = writers.put(key, j.input());
				if (other != null)
					throw new InvalidInputException("Inputs " + other.getFileName() + " and " + j.input().getFileName() + " would both be written to " + out
							+ "; keep only one of them in " + input + ".");
			}
		return jobs;
	}

	/**
	 * Refuses to replace existing outputs unless {@code overwrite}: checked for every job before any
	 * work starts, so a long batch never stops half-way over a name clash.
	 */
	public static void checkExisting(final List<Job> jobs, final boolean overwrite, final String overwriteKey) {
		if (overwrite) return;
		final List<String> existing = new ArrayList<>();
		for (final Job j : jobs)
			for (final Path out : j.outputs())
				if (Files.exists(out)) existing.add(out.toString());
		if (!existing.isEmpty())
			throw new InvalidInputException(existing.size() + " output file(s) already exist: " + String.join(", ", existing.subList(0, Math.min(3, existing.size())))
					+ (existing.size() > 3 ? ", ..." : "") + ". Remove them, choose another output, or set " + overwriteKey + "=true.");
	}

	/**
	 * The folder {@code output} writes into: {@code output} itself when it is a folder, its parent
	 * when it names the label file ({@code .nii}/{@code .nii.gz}).
	 */
	public static Path folder(final Path output) {
		final Path absolute = output.toAbsolutePath().normalize();
		return isNifti(output) && absolute.getParent() != null ? absolute.getParent() : absolute;
	}

	/**
	 * The jobs whose label file does not exist yet. NB: the label file is written last and
	 * atomically, so it exists only for a finished job; probability maps without it are leftovers of
	 * an interrupted run and are written again.
	 */
	public static List<Job> unfinished(final List<Job> jobs) {
		final List<Job> todo = new ArrayList<>();
		for (final Job j : jobs)
			if (!Files.exists(j.labels())) todo.add(j);
		return todo;
	}

	/** Whether {@code path}'s name ends in {@code .nii} or {@code .nii.gz}. */
	public static boolean isNifti(final Path path) {
		final Path name = path.getFileName();
		return name != null && isNifti(name.toString());
	}

	/** Whether the file name {@code name} ends in {@code .nii} or {@code .nii.gz}. */
	public static boolean isNifti(final String name) {
		final String n = name.toLowerCase(Locale.ROOT);
		return n.endsWith(".nii") || n.endsWith(".nii.gz");
	}

	/**
	 * The names of the probability maps written beside the label file {@code labelName}, in the order
	 * they are written: {@code <stem>-prob-<class>.nii.gz} for every class, only {@code -prob-1} for a
	 * one-channel sigmoid model ({@code classes == 1}).
	 */
	public static List<String> probabilityNames(final String labelName, final int classes) {
		final String stem = stem(labelName);
		final List<String> names = new ArrayList<>();
		if (classes == 1) names.add(stem + "-prob-1.nii.gz");
		else for (int c = 0; c < classes; c++)
			names.add(stem + "-prob-" + c + ".nii.gz");
		return List.copyOf(names);
	}

	/**
	 * The volumes among the file names {@code fileNames} of one folder's regular files, by the rules
	 * above, in the order they are segmented: its {@code volume-N.nii[.gz]} files by case number if it
	 * has any, else every NIfTI name except this command's own outputs, by name.
	 */
	public static List<String> volumeNames(final Collection<String> fileNames) {
		final List<String> lits = new ArrayList<>(), other = new ArrayList<>();
		for (final String name : fileNames) {
			if (!isNifti(name)) continue;
			if (LITS_VOLUME.matcher(name).matches()) lits.add(name);
			else if (!OWN_OUTPUT.matcher(name).matches()) other.add(name);
		}
		if (!lits.isEmpty()) {
			lits.sort(Comparator.comparingLong(SegmentTargets::litsNumber).thenComparing(Comparator.naturalOrder()));
			return lits;
		}
		other.sort(Comparator.naturalOrder());
		return other;
	}

	/** The label file name for {@code input} in an output folder. */
	public static String labelName(final Path input) {
		return labelName(input.getFileName().toString());
	}

	/** The label file name for an input named {@code name} in an output folder. */
	public static String labelName(final String name) {
		final Matcher m = LITS_VOLUME.matcher(name);
		if (m.matches()) return "segmentation-" + m.group(1) + ".nii.gz";
		return stem(name) + "-labels.nii.gz";
	}

	/** {@code name} without {@code .nii.gz}, {@code .nii}, {@code .tif(f)} or {@code .dcm}. */
	public static String stem(final String name) {
		final String lower = name.toLowerCase(Locale.ROOT);
		for (final String ext : new String[] { ".nii.gz", ".nii", ".tiff", ".tif", ".dcm" })
			if (lower.endsWith(ext) && lower.length() > ext.length()) return name.substring(0, name.length() - ext.length());
		return name;
	}

	private static Job job(final Path input, final Path labels, final int classes, final boolean probabilities) {
		final List<Path> probs = new ArrayList<>();
		if (probabilities) {
			final Path dir = labels.toAbsolutePath().getParent();
			for (final String name : probabilityNames(labels.getFileName().toString(), classes))
				probs.add(dir.resolve(name));
		}
		return new Job(input, input.getFileName().toString(), labels, List.copyOf(probs));
	}

	/** The volumes of a folder by the rules above, in LiTS number order or by name. */
	private static List<Path> niftiVolumes(final Path folder) {
		final List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
			for (final Path f : files)
				if (Files.isRegularFile(f) && isNifti(f)) names.add(f.getFileName().toString());
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot list " + folder + ": " + e.getMessage());
		}
		final List<Path> volumes = new ArrayList<>();
		for (final String name : volumeNames(names))
			volumes.add(folder.resolve(name));
		return volumes;
	}

	private static long litsNumber(final String name) {
		final Matcher m = LITS_VOLUME.matcher(name);
		if (!m.matches()) return Long.MAX_VALUE;
		try {
			return Long.parseLong(m.group(1));
		}
		catch (final NumberFormatException e) {
			return Long.MAX_VALUE;
		}
	}
}
