package io.github.unet3p.core.preprocess;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.unet3p.core.preprocess.LitsPreparer.LitsCase;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/** Finds the LiTS cases of a folder or a single volume file: volumes paired with their segmentations by number. */
final class LitsCases {

	private static final Pattern VOLUME = Pattern.compile("volume-(\\d+)\\.nii(\\.gz)?");
	private static final Pattern SEGMENTATION = Pattern.compile("segmentation-(\\d+)\\.nii(\\.gz)?");

	private LitsCases() {}

	/**
	 * The cases of {@code input}, sorted by N: every {@code volume-N.nii[.gz]} of a folder with its
	 * {@code segmentation-N.nii[.gz]} when present, or the one volume file given (its segmentation
	 * is looked for beside it; a file not named {@code volume-N} gets its base name as N).
	 * Segmentations without a volume are reported to {@code warnings} and skipped.
	 *
	 * @throws InvalidInputException if the input does not exist, a folder holds no volume, a
	 *             number appears twice, or the file given is a segmentation
	 */
	static List<LitsCase> find(final Path input, final ProgressListener warnings) {
		if (!Files.exists(input)) throw new InvalidInputException(input + ": no such file or folder (expected a folder of LiTS volume-N.nii files or one volume)");
		if (!Files.isDirectory(input)) return List.of(singleCase(input));
		final Map<String, Path> volumes = new TreeMap<>(NUMERIC), segmentations = new TreeMap<>(NUMERIC);
		try (Stream<Path> files = Files.list(input)) {
			for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
				final String name = f.getFileName().toString();
				final Matcher v = VOLUME.matcher(name), s = SEGMENTATION.matcher(name);
				if (v.matches()) putUnique(volumes, v.group(1), f);
				else if (s.matches()) putUnique(segmentations, s.group(1), f);
			}
		}
		catch (final IOException e) {
			throw new InvalidInputException(input + ": cannot list the folder (" + e.getMessage() + ")", e);
		}
		for (final Map.Entry<String, Path> s : segmentations.entrySet())
			if (!volumes.containsKey(s.getKey()))
				warnings.warning("Skipping " + s.getValue().getFileName() + ": there is no volume-" + s.getKey() + ".nii[.gz] beside it");
		if (volumes.isEmpty())
			throw new InvalidInputException(input + ": the folder holds no LiTS volume (files named volume-N.nii or volume-N.nii.gz)");
		final List<LitsCase> cases = new ArrayList<>();
		for (final Map.Entry<String, Path> v : volumes.entrySet())
			cases.add(new LitsCase(v.getKey(), v.getValue(), segmentations.get(v.getKey())));
		return cases;
	}

	private static LitsCase singleCase(final Path file) {
		final String name = file.getFileName().toString();
		if (SEGMENTATION.matcher(name).matches())
			throw new InvalidInputException(file + " is a segmentation; give its volume-N file or the folder instead");
		final Matcher v = VOLUME.matcher(name);
		if (!v.matches()) return new LitsCase(baseName(name), file, null);
		final Path dir = file.toAbsolutePath().getParent();
		Path segmentation = null;
		for (final String suffix : new String[] { ".nii", ".nii.gz" }) {
			final Path s = dir.resolve("segmentation-" + v.group(1) + suffix);
			if (Files.isRegularFile(s)) {
				if (segmentation != null) throw duplicate(segmentation, s);
				segmentation = s;
			}
		}
		return new LitsCase(v.group(1), file, segmentation);
	}

	private static String baseName(final String name) {
		final String lower = name.toLowerCase();
		if (lower.endsWith(".nii.gz")) return name.substring(0, name.length() - 7);
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	private static void putUnique(final Map<String, Path> map, final String id, final Path file) {
		final Path old = map.putIfAbsent(id, file);
		if (old != null) throw duplicate(old, file);
	}

	private static InvalidInputException duplicate(final Path a, final Path b) {
		return new InvalidInputException(a + " and " + b + " have the same number; keep only one of them");
	}

	/** Orders case numbers numerically ("2" before "10"), then as written ("07" after "7"). */
	private static final Comparator<String> NUMERIC = Comparator.<String, BigInteger> comparing(BigInteger::new).thenComparing(Comparator.naturalOrder());
}
