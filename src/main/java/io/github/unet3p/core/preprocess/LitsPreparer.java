package io.github.unet3p.core.preprocess;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.Volumes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Turns LiTS volumes into the seed's 2-D dataset (SPEC 2.1): for every {@code volume-N.nii[.gz]}
 * (with {@code segmentation-N.nii[.gz]} when present) and every axial slice k, an RGB
 * {@code images/image_N_k.png} of the prepared slices (k−1, k, k+1) and, when the segmentation
 * exists, a gray 0/1 {@code mask/mask_N_k.png}.
 *
 * <p>One volume is in memory at a time; its slices are prepared and written on {@code threads}
 * threads. Every PNG is written atomically, so cancelling or a crash leaves only complete files.
 *
 * <p>NB: what the seed would silently accept is prepared with a warning, never refused, so that
 * seed parity holds on real LiTS data: a segmentation whose voxel spacing differs from its
 * volume's (the seed reads voxel arrays only) and labels other than 0, 1, 2 (merged into liver as
 * every non-zero label is). A CT with NaN or infinite voxels is refused: no window can make sense
 * of it. An output folder that already holds slices is refused unless {@code overwrite} is asked
 * for, so two preparations never mix silently.
 */
public final class LitsPreparer {

	/** Reads one volume file. */
	@FunctionalInterface
	public interface VolumeReader {

		/**
		 * The volume stored in {@code file}.
		 *
		 * @throws InvalidInputException if the file cannot be read as a volume
		 */
		Volume read(Path file) throws IOException;
	}

	/** A LiTS case: its number N, its volume file and its segmentation file (or null). */
	public record LitsCase(String id, Path volume, Path segmentation) {}

	/** What {@link #prepare} wrote. */
	public record Summary(int volumes, int images, int masks) {}

	private final PreprocessSettings settings;
	private final VolumeReader reader;
	private final int threads;

	/**
	 * A preparer that reads NIfTI-1 files with {@link NiftiReader} and uses all cores.
	 */
	public LitsPreparer(final PreprocessSettings settings) {
		this(settings, file -> NiftiReader.read(file).volume(), Runtime.getRuntime().availableProcessors());
	}

	/**
	 * A preparer with its own volume reader and thread count.
	 *
	 * @param threads at least 1; 1 works on the calling thread
	 */
	public LitsPreparer(final PreprocessSettings settings, final VolumeReader reader, final int threads) {
		if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
		this.settings = settings;
		this.reader = reader;
		this.threads = threads;
	}

	/**
	 * Prepares every case of {@code input} into {@code output}.
	 *
	 * @param input a folder of LiTS files, or one volume file
	 * @param output the folder that receives {@code images/} and {@code mask/} (created if needed)
	 * @param progress receives per-volume slice progress (task "Preprocessing volume-N.nii (i/n)"),
	 *            a message per finished volume and warnings (orphan segmentations)
	 * @param cancellation checked between slices and volumes
	 * @return the counts of what was written
	 * @throws InvalidInputException for a missing input, a folder without volumes, a volume and
	 *             segmentation of different shapes, unreadable files, or an unwritable output
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled; files written so far stay
	 */
	public Summary prepare(final Path input, final Path output, final ProgressListener progress, final Cancellation cancellation) {
		return prepare(input, output, false, progress, cancellation);
	}

	/**
	 * Prepares every case of {@code input} into {@code output}, as {@link #prepare(Path, Path,
	 * ProgressListener, Cancellation)} does, replacing an earlier preparation when asked to.
	 *
	 * @param overwrite when {@code output} already holds slices ({@code images/image_*.png} or
	 *            {@code mask/mask_*.png}): {@code false} refuses, {@code true} deletes them (and
	 *            temporary files an interrupted run left) before preparing, so the folder never
	 *            mixes two preparations
	 * @throws InvalidInputException as the other overload does, and for an output folder that
	 *             already holds slices when {@code overwrite} is {@code false}
	 */
	public Summary prepare(final Path input, final Path output, final boolean overwrite, final ProgressListener progress,
			final Cancellation cancellation) {
		final List<LitsCase> cases = findCases(input, progress);
		final Path images = output.resolve("images"), masks = output.resolve("mask");
		startPreparation(output, images, masks, overwrite);
		final ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
			final Thread t = new Thread(r, "unet3p-preprocess");
			t.setDaemon(true);
			return t;
		}) : null;
		int imageCount = 0, maskCount = 0, done = 0;
		try {
			for (final LitsCase c : cases) {
				cancellation.check("Preprocessing");
				final String task = "Preprocessing " + c.volume().getFileName() + " (" + (done + 1) + "/" + cases.size() + ")";
				progress.progress(task, 0, 1);
				final int[] written = prepareCase(c, output, pool, task, progress, cancellation);
				imageCount += written[0];
				maskCount += written[1];
				done++;
			}
		}
		finally {
			if (pool != null) pool.shutdownNow();
		}
		return new Summary(done, imageCount, maskCount);
	}

	/**
	 * Makes {@code output} ready: refuses (or, with {@code overwrite}, deletes) an earlier
	 * preparation's slices, creates {@code images/} and writes the preparation record.
	 */
	private void startPreparation(final Path output, final Path images, final Path masks, final boolean overwrite) {
		final List<Path> earlier = earlierSlices(images, masks);
		if (!earlier.isEmpty() && !overwrite)
			throw new InvalidInputException(String.format(Locale.ROOT, "output folder %s already holds %d prepared slice file(s) (e.g. %s);"
					+ " choose a new folder, or set %s=true to replace them", output, earlier.size(), output.relativize(earlier.get(0)), PreprocessKeys.OVERWRITE));
		createFolder(images);
		for (final Path p : earlier)
			delete(p);
		try {
			PreparationRecord.write(output, settings);
		}
		catch (final IOException e) {
			throw new InvalidInputException("cannot write " + output.resolve(PreparationRecord.FILE) + " (" + e.getMessage() + ")", e);
		}
	}

	/** Reads, checks and prepares one case into {@code output}; returns the numbers of images and masks written. */
	private int[] prepareCase(final LitsCase c, final Path output, final ExecutorService pool, final String task, final ProgressListener progress,
			final Cancellation cancellation) {
		final Path images = output.resolve("images"), masks = output.resolve("mask");
		// NB: the segmentation is read (and its labels checked) on a pool thread while this one
		// reads the CT: reading is the only serial part of a case.
		final Future<LabelsRead> pendingLabels = c.segmentation() == null || pool == null ? null : pool.submit(() -> readLabels(c));
		final Volume volume;
		final LabelsRead labelsRead;
		try {
			volume = read(c.volume());
			labelsRead = pendingLabels != null ? await(pendingLabels) : c.segmentation() == null ? null : readLabels(c);
		}
		finally {
			if (pendingLabels != null) pendingLabels.cancel(true);
		}
		final Volume labels = labelsRead == null ? null : labelsRead.labels();
		if (labels != null) {
			checkSameShape(c, volume, labels);
			warnAboutSpacing(c, volume, labels, progress);
			if (labelsRead.warning() != null) progress.warning(labelsRead.warning());
			createFolder(masks);
		}
		final AtomicInteger written = new AtomicInteger(), writtenMasks = new AtomicInteger();
		final SlicePreparer preparer = SlicePreparer.of(settings, volume);
		try {
			preparer.prepare(volume, labels, (k, image, mask) -> {
				writeSlice(images, "image_" + c.id() + "_" + k + ".png", PngCodec.encode(image));
				written.incrementAndGet();
				if (mask != null) {
					writeSlice(masks, "mask_" + c.id() + "_" + k + ".png", PngCodec.encode(mask));
					writtenMasks.incrementAndGet();
				}
			}, pool, threads, task, progress, cancellation);
		}
		catch (final UncheckedIOException e) {
			throw new InvalidInputException("cannot write the slices of " + c.volume().getFileName() + " into " + output + ": "
					+ e.getCause().getMessage(), e);
		}
		progress.message(c.volume().getFileName() + ": " + written.get() + " images" + (labels == null ? " (no segmentation)"
				: ", " + writtenMasks.get() + " masks") + " written");
		return new int[] { written.get(), writtenMasks.get() };
	}

	/**
	 * Writes {@code bytes} to {@code folder/name} atomically: into {@code .name.part} beside it, then
	 * renamed onto it.
	 *
	 * <p>NB: a fixed temporary name, not {@code AtomicFiles.write}'s random one: the folder belongs
	 * to this preparation (an earlier one's slices and {@code .part} files were refused or deleted
	 * before it started), and the random name, folder check and permission change cost as much as
	 * encoding a mask, 400 times per 200-slice volume.
	 */
	private static void writeSlice(final Path folder, final String name, final byte[] bytes) throws IOException {
		final Path part = folder.resolve("." + name + ".part");
		try {
			Files.write(part, bytes);
			AtomicFiles.move(part, folder.resolve(name));
		}
		catch (final IOException | RuntimeException e) {
			try {
				Files.deleteIfExists(part);
			}
			catch (final IOException suppressed) {
				e.addSuppressed(suppressed);
			}
			throw e;
		}
	}

	/** Slices (and temporary files) an earlier run left in {@code images} and {@code masks}. */
	private static List<Path> earlierSlices(final Path images, final Path masks) {
		final List<Path> found = new ArrayList<>();
		for (final Path dir : new Path[] { images, masks }) {
			if (!Files.isDirectory(dir)) continue;
			final String prefix = dir == images ? "image_" : "mask_";
			try (Stream<Path> files = Files.list(dir)) {
				files.filter(f -> {
					final String n = f.getFileName().toString();
					return n.startsWith(prefix) && n.endsWith(".png") || n.startsWith("." + prefix) && n.endsWith(".part");
				}).sorted().forEach(found::add);
			}
			catch (final IOException e) {
				throw new InvalidInputException("cannot list the output folder " + dir + " (" + e.getMessage() + ")", e);
			}
		}
		return found;
	}

	private static void delete(final Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (final IOException e) {
			throw new InvalidInputException("cannot replace the earlier slice " + file + " (" + e.getMessage() + ")", e);
		}
	}

	/** Reads a volume and refuses NaN or infinite voxels. */
	private Volume read(final Path file) {
		final Volume v = readFile(file);
		Volumes.requireFinite(v, file.toString());
		return v;
	}

	private Volume readFile(final Path file) {
		try {
			return reader.read(file);
		}
		catch (final IOException e) {
			throw new InvalidInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
		}
	}

	private static void checkSameShape(final LitsCase c, final Volume volume, final Volume labels) {
		if (!Arrays.equals(volume.dimensions(), labels.dimensions()))
			throw new InvalidInputException(c.volume() + " is " + shape(volume) + " voxels but " + c.segmentation() + " is " + shape(labels)
					+ "; a volume and its segmentation must have the same shape");
	}

	private static void warnAboutSpacing(final LitsCase c, final Volume volume, final Volume labels, final ProgressListener progress) {
		final double[] a = volume.geometry().spacing(), b = labels.geometry().spacing();
		for (int d = 0; d < 3; d++)
			if (Math.abs(a[d] - b[d]) > Volumes.SPACING_TOLERANCE * Math.max(Math.abs(a[d]), Math.abs(b[d]))) {
				progress.warning(String.format(Locale.ROOT, "%s has voxel spacing %g×%g×%g mm but %s has %g×%g×%g mm;"
						+ " the voxels are paired by index as the recipe does (check that they belong together)", c.volume().getFileName(), a[0], a[1], a[2],
						c.segmentation().getFileName(), b[0], b[1], b[2]));
				return;
			}
	}

	/** A segmentation and the warning about its labels (null when all are LiTS labels). */
	private record LabelsRead(Volume labels, String warning) {}

	private LabelsRead readLabels(final LitsCase c) {
		final Volume labels = read(c.segmentation());
		return new LabelsRead(labels, unusualLabels(c, labels));
	}

	/** The result of {@code pending}, its failure rethrown as it was thrown. */
	private static LabelsRead await(final Future<LabelsRead> pending) {
		try {
			return pending.get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CancelledException("Preprocessing");
		}
		catch (final ExecutionException e) {
			if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
			if (e.getCause() instanceof Error) throw (Error) e.getCause();
			throw new IllegalStateException(e.getCause());
		}
	}

	/** The warning about labels other than LiTS's 0 background, 1 liver, 2 tumour, or null. */
	private static String unusualLabels(final LitsCase c, final Volume labels) {
		final TreeSet<Double> other = new TreeSet<>();
		long count = 0;
		final int n = labels.size(0) * labels.size(1);
		final double[] slice = new double[n];
		for (int k = 0; k < labels.size(2); k++) {
			labels.axialSlice(k, slice);
			for (int p = 0; p < n; p++) {
				final double v = slice[p];
				if (v != 0 && v != 1 && v != 2) {
					count++;
					if (other.size() < 5) other.add(v);
				}
			}
		}
		if (count == 0) return null;
		final List<String> names = new ArrayList<>();
		for (final double v : other)
			names.add(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
		return String.format(Locale.ROOT, "%s has %d voxel(s) with label %s%s outside LiTS's 0 (background), 1 (liver), 2 (tumour);"
				+ " they are merged into liver (every non-zero label becomes 1, as in the reference recipe)", c.segmentation().getFileName(), count,
				String.join(", ", names), other.size() == 5 ? ", ..." : "");
	}

	private static String shape(final Volume v) {
		return v.size(0) + "×" + v.size(1) + "×" + v.size(2);
	}

	private static void createFolder(final Path folder) {
		try {
			Files.createDirectories(folder);
		}
		catch (final IOException e) {
			throw new InvalidInputException("cannot create the output folder " + folder + " (" + e.getMessage() + ")", e);
		}
	}

	/**
	 * The cases of {@code input}, sorted by N: every {@code volume-N.nii[.gz]} of a folder with its
	 * {@code segmentation-N.nii[.gz]} when present, or the one volume file given; see
	 * {@link LitsCases#find}.
	 */
	public static List<LitsCase> findCases(final Path input, final ProgressListener warnings) {
		return LitsCases.find(input, warnings);
	}
}
