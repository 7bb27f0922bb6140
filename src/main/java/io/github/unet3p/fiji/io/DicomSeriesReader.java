package io.github.unet3p.fiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

/**
 * Reads one DICOM CT series (a folder of single-frame files) into a {@link Volume}, decoding each
 * file with ImageJ 1.x's DICOM support.
 *
 * <p>The volume holds the stored pixel values (int16 as {@link ShortType}, uint16 as
 * {@link UnsignedShortType}) with the series' Rescale Slope and Intercept as its scaling, so
 * {@link Volume#values()} is in Hounsfield units. Slices are ordered by their position along the
 * slice normal, never by file name or Instance Number; the index order and the RAS affine follow
 * dcm2niix's NIfTI output (see {@link DicomSeriesGeometry} for the exact convention).
 *
 * <p>NB: pixels are read with ImageJ's raw reader ({@code ij.io.ImageReader}) at the offset
 * ImageJ's DICOM decoder finds, not through {@code DICOM.open}: that method rescales depending on
 * the user's ImageJ preferences and, for a slope other than 1, calls {@code IJ.run("32-bit")},
 * which fails in a headless JVM.
 */
public final class DicomSeriesReader {

	private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

	private DicomSeriesReader() {}

	/** Reads the single CT series in {@code folder}; see {@link #read(Path, ProgressListener, Cancellation)}. */
	public static Volume read(final Path folder) {
		return read(folder, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Reads the single CT series in {@code folder} (files directly inside it; subfolders are not
	 * searched; a DICOMDIR index is skipped).
	 *
	 * @throws InvalidInputException naming the folder and the problem when it holds no DICOM files,
	 *             several series (listed with their file counts), files ImageJ cannot decode
	 *             (compressed transfer syntaxes), non-CT or multi-frame images, slices of different
	 *             sizes or orientations, duplicate positions or missing slices (with where)
	 * @throws io.github.unet3p.core.util.CancelledException when {@code cancel} is set between files
	 */
	public static Volume read(final Path folder, final ProgressListener progress, final Cancellation cancel) {
		return read(folder, null, progress, cancel);
	}

	/**
	 * Reads the series {@code file} belongs to: the files in its folder with the same Series
	 * Instance UID; other series in that folder are ignored.
	 */
	public static Volume readSeriesOf(final Path file, final ProgressListener progress, final Cancellation cancel) {
		if (!Files.isRegularFile(file)) throw new InvalidInputException("DICOM file " + file + " does not exist or is not a file");
		final DicomSliceHeader h = DicomSliceHeader.read(file);
		checkDecodable(file.toAbsolutePath().getParent(), List.of(h));
		final String uid = h.get(DicomSliceHeader.SERIES_UID);
		if (uid == null) throw new InvalidInputException("DICOM file " + file + " has no Series Instance UID (0020,000E); cannot find the rest of its series");
		return read(file.toAbsolutePath().getParent(), uid, progress, cancel);
	}

	/** Whether {@code folder} directly holds at least one file that looks like DICOM. */
	public static boolean containsDicom(final Path folder) {
		try (Stream<Path> files = Files.list(folder)) {
			return files.anyMatch(DicomSliceHeader::isDicomCandidate);
		}
		catch (final IOException e) {
			return false;
		}
	}

	private static Volume read(final Path folder, final String onlySeries, final ProgressListener progress, final Cancellation cancel) {
		final List<DicomSliceHeader> headers = headers(folder, progress, cancel);
		checkDecodable(folder, headers);
		final List<DicomSliceHeader> series = oneSeries(folder, headers, onlySeries);
		for (final DicomSliceHeader h : series)
			checkCtImage(h);
		final int columns = series.get(0).integer(DicomSliceHeader.COLUMNS, 0);
		final int rows = series.get(0).integer(DicomSliceHeader.ROWS, 0);
		checkSameSize(folder, series);
		final DicomSeriesGeometry g = DicomSeriesGeometry.of(folder, series, rows);
		return pixels(folder, g.ordered(), columns, rows, g.geometry(), progress, cancel);
	}

	private static List<DicomSliceHeader> headers(final Path folder, final ProgressListener progress, final Cancellation cancel) {
		if (!Files.isDirectory(folder)) throw new InvalidInputException("DICOM folder " + folder + " does not exist or is not a folder");
		final List<Path> candidates;
		try (Stream<Path> files = Files.list(folder)) {
			candidates = files.filter(DicomSliceHeader::isDicomCandidate).sorted().collect(Collectors.toList());
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot list DICOM folder " + folder + ": " + e.getMessage(), e);
		}
		final List<DicomSliceHeader> headers = new ArrayList<>();
		for (int n = 0; n < candidates.size(); n++) {
			cancel.check("Reading DICOM headers in " + folder);
			final DicomSliceHeader h = DicomSliceHeader.read(candidates.get(n));
			if (!h.isDicomDir()) headers.add(h);
			progress.progress("Reading DICOM headers", n + 1, candidates.size());
		}
		if (headers.isEmpty())
			throw new InvalidInputException("No DICOM files in folder " + folder
					+ " (looked for files with 'DICM' at byte 128 or the .dcm extension, directly in the folder)");
		return headers;
	}

	/** Refuses files whose transfer syntax ImageJ 1.x cannot decode (JPEG, JPEG 2000, RLE, deflate). */
	private static void checkDecodable(final Path folder, final List<DicomSliceHeader> headers) {
		final Map<String, List<String>> bySyntax = new LinkedHashMap<>();
		for (final DicomSliceHeader h : headers)
			if (!DicomSliceHeader.isUncompressed(h.transferSyntax()))
				bySyntax.computeIfAbsent(h.transferSyntax(), s -> new ArrayList<>()).add(h.file().getFileName().toString());
		if (bySyntax.isEmpty()) return;
		final List<String> parts = new ArrayList<>();
		bySyntax.forEach((syntax, files) -> parts.add(files.size() + " file(s) in " + syntaxName(syntax) + " (e.g. " + files.get(0) + ")"));
		throw new InvalidInputException("DICOM folder " + folder + " holds compressed images that ImageJ 1.x cannot decode: "
				+ String.join(", ", parts) + ". Expected uncompressed DICOM (implicit or explicit VR); decompress the series first, "
				+ "for example with 'gdcmconv --raw' or 'dcmdjpeg'.");
	}

	private static List<DicomSliceHeader> oneSeries(final Path folder, final List<DicomSliceHeader> headers, final String onlySeries) {
		final Map<String, List<DicomSliceHeader>> bySeries = new LinkedHashMap<>();
		for (final DicomSliceHeader h : headers) {
			final String uid = Objects.requireNonNullElse(h.get(DicomSliceHeader.SERIES_UID), "(no Series Instance UID)");
			if (onlySeries == null || onlySeries.equals(uid)) bySeries.computeIfAbsent(uid, u -> new ArrayList<>()).add(h);
		}
		if (bySeries.size() > 1) {
			final String list = bySeries.entrySet().stream()
					.sorted(Comparator.comparingInt((Map.Entry<String, List<DicomSliceHeader>> e) -> -e.getValue().size()))
					.map(e -> e.getKey() + " (" + e.getValue().size() + " files, e.g. " + e.getValue().get(0).file().getFileName() + ")")
					.collect(Collectors.joining(", "));
			throw new InvalidInputException("DICOM folder " + folder + " mixes " + bySeries.size() + " series (Series Instance UID): " + list
					+ ". Expected one series per folder: move each series to its own folder, or open one file of the series you want.");
		}
		return bySeries.values().iterator().next();
	}

	/** Refuses what is not a single-frame, single-sample, 16-bit CT image with a position. */
	private static void checkCtImage(final DicomSliceHeader h) {
		final String file = "DICOM file " + h.file();
		if (!h.has(DicomSliceHeader.PIXEL_DATA) || !h.has(DicomSliceHeader.ROWS) || !h.has(DicomSliceHeader.COLUMNS))
			throw new InvalidInputException(file + " is not an image ImageJ can decode (no Rows, Columns or Pixel Data); expected CT slices only");
		final String sop = h.get(DicomSliceHeader.SOP_CLASS);
		final String modality = h.get(DicomSliceHeader.MODALITY);
		if (sop != null ? !sop.equals(CT_IMAGE_STORAGE) : modality != null && !modality.equalsIgnoreCase("CT"))
			throw new InvalidInputException(file + " is not a CT image (SOP Class UID " + sop + ", Modality " + modality
					+ "); expected single-frame CT Image Storage (" + CT_IMAGE_STORAGE + "), whose values are Hounsfield units");
		if (h.integer(DicomSliceHeader.FRAMES, 1) > 1)
			throw new InvalidInputException(file + " holds " + h.integer(DicomSliceHeader.FRAMES, 1)
					+ " frames; expected single-frame slices (one file per slice)");
		final int samples = h.integer(DicomSliceHeader.SAMPLES_PER_PIXEL, 1);
		final String photometric = Objects.requireNonNullElse(h.get(DicomSliceHeader.PHOTOMETRIC), "MONOCHROME2");
		if (samples != 1 || !photometric.toUpperCase(Locale.ROOT).startsWith("MONOCHROME"))
			throw new InvalidInputException(file + " is a colour image (" + samples + " samples per pixel, " + photometric + "); expected grey CT slices");
		final int bits = h.integer(DicomSliceHeader.BITS_ALLOCATED, 16);
		if (bits != 16) throw new InvalidInputException(file + " has " + bits + " bits allocated per pixel; expected 16 (CT)");
		if (!h.has(DicomSliceHeader.POSITION) || !h.has(DicomSliceHeader.ORIENTATION))
			throw new InvalidInputException(file + " has no Image Position (Patient) (0020,0032) or Image Orientation (Patient) (0020,0037); "
					+ "cannot place the slice in the volume");
		if (h.decimal(DicomSliceHeader.RESCALE_SLOPE, 1) == 0)
			throw new InvalidInputException(file + " has a Rescale Slope (0028,1053) of 0; expected a non-zero slope");
	}

	private static void checkSameSize(final Path folder, final List<DicomSliceHeader> series) {
		final Map<String, List<DicomSliceHeader>> bySize = new LinkedHashMap<>();
		for (final DicomSliceHeader h : series)
			bySize.computeIfAbsent(h.integer(DicomSliceHeader.COLUMNS, 0) + "×" + h.integer(DicomSliceHeader.ROWS, 0), s -> new ArrayList<>()).add(h);
		if (bySize.size() > 1) {
			final String list = bySize.entrySet().stream()
					.map(e -> e.getKey() + " (" + e.getValue().size() + " files, e.g. " + e.getValue().get(0).file().getFileName() + ")")
					.collect(Collectors.joining(", "));
			throw new InvalidInputException("DICOM folder " + folder + " has slices of different sizes (columns × rows): " + list
					+ ". Expected every slice of the series to have the same size.");
		}
	}

	private static Volume pixels(final Path folder, final List<DicomSliceHeader> ordered, final int columns, final int rows,
			final VolumeGeometry geometry, final ProgressListener progress, final Cancellation cancel) {
		final int depth = ordered.size();
		final double slope = ordered.get(0).decimal(DicomSliceHeader.RESCALE_SLOPE, 1);
		final double intercept = ordered.get(0).decimal(DicomSliceHeader.RESCALE_INTERCEPT, 0);
		boolean sameScaling = true, allSigned = true, allUnsigned = true;
		for (final DicomSliceHeader h : ordered) {
			sameScaling &= h.decimal(DicomSliceHeader.RESCALE_SLOPE, 1) == slope && h.decimal(DicomSliceHeader.RESCALE_INTERCEPT, 0) == intercept;
			final boolean signed = h.integer(DicomSliceHeader.PIXEL_REPRESENTATION, 0) == 1;
			allSigned &= signed;
			allUnsigned &= !signed;
		}
		// NB: float only when slices disagree (scaling differs per slice, or signedness): then the
		// volume holds Hounsfield units with no scaling. The usual CT stays int16 + slope/intercept.
		final boolean asFloat = !sameScaling || !(allSigned || allUnsigned);
		final long plane = (long) columns * rows;
		final long bytes = plane * depth * (asFloat ? 4 : 2);
		final long available = Runtime.getRuntime().maxMemory();
		if (plane > Integer.MAX_VALUE || bytes > available * 0.8)
			throw new InvalidInputException("DICOM folder " + folder + ": a " + columns + "×" + rows + "×" + depth + " volume needs "
					+ bytes / (1 << 20) + " MB, more than the memory Java may use (" + available / (1 << 20)
					+ " MB); raise the maximum memory (Fiji: Edit › Options › Memory & Threads)");
		final PlanarImg<?, ?> img;
		if (asFloat) img = PlanarImgs.floats(columns, rows, depth);
		else if (allSigned) img = PlanarImgs.shorts(columns, rows, depth);
		else img = PlanarImgs.unsignedShorts(columns, rows, depth);
		for (int k = 0; k < depth; k++) {
			cancel.check("Reading DICOM series " + folder);
			final DicomSliceHeader h = ordered.get(k);
			final int[] stored = h.pixels(columns, rows);
			final double s = h.decimal(DicomSliceHeader.RESCALE_SLOPE, 1), b = h.decimal(DicomSliceHeader.RESCALE_INTERCEPT, 0);
			final Object plane0 = img.getPlane(k);
			for (int r = 0; r < rows; r++) {
				final int j = rows - 1 - r;
				for (int c = 0; c < columns; c++) {
					final int v = stored[c + columns * r];
					final int idx = c + columns * j;
					if (asFloat) ((FloatArray) plane0).getCurrentStorageArray()[idx] = (float) (s * v + b);
					else ((ShortArray) plane0).getCurrentStorageArray()[idx] = (short) v;
				}
			}
			progress.progress("Reading DICOM slices", k + 1, depth);
		}
		@SuppressWarnings({ "unchecked", "rawtypes" })
		final Volume v = asFloat ? new Volume((PlanarImg) img, 1, 0, geometry) : new Volume((PlanarImg) img, slope, intercept, geometry);
		return v;
	}

	private static String syntaxName(final String uid) {
		final String name;
		if (uid.startsWith("1.2.840.10008.1.2.4.9")) name = "JPEG 2000";
		else if (uid.startsWith("1.2.840.10008.1.2.4.8")) name = "JPEG-LS";
		else if (uid.startsWith("1.2.840.10008.1.2.4.")) name = "JPEG";
		else if (uid.equals("1.2.840.10008.1.2.5")) name = "RLE";
		else if (uid.equals("1.2.840.10008.1.2.1.99")) name = "deflated explicit VR";
		else name = "an unsupported encoding";
		return "transfer syntax " + uid + " (" + name + ")";
	}
}
