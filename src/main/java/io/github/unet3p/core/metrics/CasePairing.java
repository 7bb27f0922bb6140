package io.github.unet3p.core.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Pairs prediction and truth files for evaluation. Two files pair up as they are; two folders pair
 * their NIfTI files by case number (the last number in the name, so {@code volume-7.nii.gz},
 * {@code segmentation-7.nii} and {@code test-segmentation-7.nii} are case 7), or by identical
 * name when the names carry no number. In a folder that holds LiTS pairs ({@code volume-N} beside
 * {@code segmentation-N}) the {@code volume-N} CT files are passed over, so a LiTS folder can be
 * the truth as it is; likewise the probability maps UNet3+ Segment Files writes beside its labels
 * ({@code <labels>-prob-<class>}), so its output folder can be the prediction as it is.
 */
public final class CasePairing {

	private static final Pattern NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");
	/** A probability map written by UNet3+ Segment Files beside its label file. */
	private static final Pattern PROBABILITY_MAP = Pattern.compile(".+-prob-\\d+\\.nii(\\.gz)?");

	private CasePairing() {}

	/** A prediction file, its truth file and the case name shown in reports. */
	public record Pair(String name, Path prediction, Path truth) {}

	/**
	 * A prediction and its truth by file name (in their two folders) and the case name shown in
	 * reports: the pairing of a door that lists folders on another file system (Spark's).
	 */
	public record NamedPair(String name, String prediction, String truth) {}

	/**
	 * Pairs {@code prediction} with {@code truth}.
	 *
	 * @throws InvalidInputException when one is a file and the other a folder, a folder holds no
	 *           NIfTI file, or a prediction has no truth (every orphan is named)
	 */
	public static List<Pair> pair(final Path prediction, final Path truth) {
		if (!Files.exists(prediction)) throw new InvalidInputException("Prediction " + prediction + " does not exist.");
		if (!Files.exists(truth)) throw new InvalidInputException("Truth " + truth + " does not exist.");
		final boolean pd = Files.isDirectory(prediction), td = Files.isDirectory(truth);
		if (!pd && !td) return List.of(new Pair(caseName(prediction), prediction, truth));
		if (pd != td) throw new InvalidInputException("Give two files or two folders: prediction " + prediction + " is a " + (pd ? "folder" : "file") + ", truth "
				+ truth + " a " + (td ? "folder" : "file") + ".");
		final List<Pair> pairs = new ArrayList<>();
		for (final NamedPair p : pairNames(names(prediction), prediction.toString(), names(truth), truth.toString()))
			pairs.add(new Pair(p.name(), prediction.resolve(p.prediction()), truth.resolve(p.truth())));
		return pairs;
	}

	/**
	 * Pairs the files of two folders by the rules above, given the names of the regular files in each.
	 *
	 * @param predictionFolder the prediction folder, for messages
	 * @param truthFolder the truth folder, for messages
	 * @throws InvalidInputException when a folder holds no NIfTI file, holds two files of one case, or a
	 *             prediction has no truth (every orphan is named)
	 */
	public static List<NamedPair> pairNames(final Collection<String> predictionNames, final String predictionFolder, final Collection<String> truthNames,
			final String truthFolder) {
		final Map<String, String> preds = byKey(predictionNames, predictionFolder), truths = byKey(truthNames, truthFolder);
		final List<NamedPair> pairs = new ArrayList<>();
		final List<String> orphans = new ArrayList<>();
		for (final Map.Entry<String, String> e : preds.entrySet()) {
			final String t = truths.get(e.getKey());
			if (t == null) orphans.add(e.getValue());
			else pairs.add(new NamedPair(stem(e.getValue()), e.getValue(), t));
		}
		if (!orphans.isEmpty())
			throw new InvalidInputException(orphans.size() + " prediction(s) in " + predictionFolder + " have no truth file with the same case number in " + truthFolder
					+ ": " + String.join(", ", orphans.subList(0, Math.min(5, orphans.size()))) + (orphans.size() > 5 ? ", ..." : "") + ".");
		return pairs;
	}

	private static List<String> names(final Path folder) {
		final List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
			for (final Path f : stream)
				if (Files.isRegularFile(f)) names.add(f.getFileName().toString());
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot list " + folder + ": " + e.getMessage());
		}
		return names;
	}

	private static Map<String, String> byKey(final Collection<String> names, final String folder) {
		final Map<String, String> files = new TreeMap<>();
		for (final String n : names)
			if (!n.startsWith(".") && (n.endsWith(".nii") || n.endsWith(".nii.gz"))) files.put(n, n);
		if (files.isEmpty()) throw new InvalidInputException("Folder " + folder + " holds no .nii or .nii.gz file.");
		if (files.keySet().stream().anyMatch(n -> !n.startsWith("volume-"))) files.keySet().removeIf(n -> n.startsWith("volume-"));
		if (files.keySet().stream().anyMatch(n -> !PROBABILITY_MAP.matcher(n).matches())) files.keySet().removeIf(n -> PROBABILITY_MAP.matcher(n).matches());
		final Map<String, String> keyed = new LinkedHashMap<>();
		final List<String> sorted = new ArrayList<>(files.values());
		sorted.sort((a, b) -> {
			final long na = number(a), nb = number(b);
			return na != nb ? Long.compare(na, nb) : a.compareTo(b);
		});
		for (final String f : sorted) {
			final long n = number(f);
			final String key = n >= 0 ? Long.toString(n) : stem(f);
			final String previous = keyed.put(key, f);
			if (previous != null) throw new InvalidInputException("Folder " + folder + " has two files for case " + key + ": " + previous + " and " + f + ".");
		}
		return keyed;
	}

	private static long number(final String name) {
		final Matcher m = NUMBER.matcher(stem(name));
		return m.find() ? Long.parseLong(m.group(1)) : -1;
	}

	/** The file name without {@code .nii} or {@code .nii.gz}. */
	public static String stem(final Path f) {
		return stem(f.getFileName().toString());
	}

	/** The file name {@code n} without {@code .nii} or {@code .nii.gz}. */
	public static String stem(final String n) {
		return n.endsWith(".nii.gz") ? n.substring(0, n.length() - 7) : n.endsWith(".nii") ? n.substring(0, n.length() - 4) : n;
	}

	private static String caseName(final Path prediction) {
		return stem(prediction);
	}
}
