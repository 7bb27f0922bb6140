package io.github.unet3p.core.preprocess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The record {@code unet3p-preprocess.json} that preparation leaves beside {@code images/} and
 * {@code mask/}: the HU window, the slice size and the seed's rules. Training copies it into the
 * model bundle, so segmentation prepares new scans the same way.
 *
 * @param huMin the lower end of the HU window
 * @param huMax the upper end of the HU window
 * @param size the slices' side in pixels
 */
public record PreparationRecord(double huMin, double huMax, int size) {

	/** File name of the record inside a prepared dataset folder. */
	public static final String FILE = "unet3p-preprocess.json";

	/**
	 * The record in {@code folder}, or empty when there is none.
	 *
	 * @throws InvalidInputException when the file exists but is not a valid record
	 */
	public static Optional<PreparationRecord> read(final Path folder) throws IOException {
		final Path file = folder.resolve(FILE);
		if (!Files.isRegularFile(file)) return Optional.empty();
		try {
			final JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
			return Optional.of(new PreparationRecord(o.get("hu_min").getAsDouble(), o.get("hu_max").getAsDouble(), o.get("size").getAsInt()));
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + " is not a valid preparation record: " + e.getMessage());
		}
	}

	/** Writes the record for {@code settings} into {@code folder}, atomically. */
	public static void write(final Path folder, final PreprocessSettings settings) throws IOException {
		final JsonObject o = new JsonObject();
		o.addProperty("hu_min", settings.huMin());
		o.addProperty("hu_max", settings.huMax());
		o.addProperty("size", settings.size());
		o.addProperty("orientation", "rot90");
		o.addProperty("channels", "k-1,k,k+1");
		o.addProperty("labels", "nonzero->1");
		o.addProperty("scaling", "clip,slice-minmax,uint8");
		o.addProperty("resize_image", "opencv INTER_CUBIC");
		o.addProperty("resize_mask", "opencv INTER_NEAREST");
		AtomicFiles.write(folder.resolve(FILE), new GsonBuilder().setPrettyPrinting().create().toJson(o).getBytes(StandardCharsets.UTF_8));
	}
}
