package io.github.unet3p.core.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Saves and loads a network's weights (every parameter, BatchNorm moving statistics included)
 * in DJL's own parameter encoding ({@link Block#saveParameters}), behind a short header.
 *
 * <p>File layout: the UTF string {@value #MAGIC}, an int format version ({@value #VERSION}),
 * then DJL's parameter stream of the block. No Java serialisation is involved.
 */
public final class ModelWeights {

	/** First field of every weights file. */
	public static final String MAGIC = "UNet3P-weights";
	/** Format version written by {@link #save}. */
	public static final int VERSION = 1;

	private ModelWeights() {}

	/**
	 * Writes all of {@code block}'s parameters to {@code file}, atomically (a reader never sees a
	 * half-written file; an existing file is replaced only once the new one is complete).
	 *
	 * @throws IllegalStateException if the block is not initialised
	 */
	public static void save(final Block block, final Path file) throws IOException {
		if (!block.isInitialized()) throw new IllegalStateException("cannot save the weights of an uninitialised block");
		AtomicFiles.write(file, out -> {
			final DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
			dos.writeUTF(MAGIC);
			dos.writeInt(VERSION);
			block.saveParameters(dos);
			dos.flush();
		});
	}

	/**
	 * Replaces the values of {@code net}'s parameters with those in {@code file}. The file is read
	 * completely and checked before anything changes: on any error the network keeps its weights.
	 *
	 * <p>Precondition: {@code net} is initialised (its parameter arrays are overwritten in place,
	 * so a trainer or predictor holding them sees the new values).
	 *
	 * @throws InvalidInputException naming the file when it is missing, is not a weights file, is
	 *         truncated or has trailing bytes, or when a parameter's shape differs from the
	 *         network's (naming the parameter and both shapes)
	 * @throws IllegalStateException if {@code net} is not initialised
	 */
	public static void load(final UNet3PlusNet net, final Path file) throws IOException {
		if (!net.isInitialized()) throw new IllegalStateException("initialise the network before loading weights into it");
		final List<Pair<String, Parameter>> target = net.block().getParameters().stream().toList();
		final NDManager home = target.get(0).getValue().getArray().getManager();
		final UNet3PlusNet twin = UNet3Plus.builder().setSpec(net.spec()).build();
		try (NDManager scratch = home.newSubManager()) {
			read(twin.block(), scratch, file);
			final List<Pair<String, Parameter>> loaded = twin.block().getParameters().stream().toList();
			if (loaded.size() != target.size())
				throw new InvalidInputException(file + ": holds " + loaded.size() + " parameters, the model (" + net.spec() +
					") has " + target.size());
			for (int i = 0; i < target.size(); i++) {
				final Parameter want = target.get(i).getValue();
				final Parameter got = loaded.get(i).getValue();
				if (!got.isInitialized() || !want.getShape().equals(got.getArray().getShape()))
					throw new InvalidInputException(file + ": parameter " + target.get(i).getKey() + " has shape " +
						(got.isInitialized() ? got.getArray().getShape() : "(missing)") + " but the model (" + net.spec() +
						") expects " + want.getShape());
			}
			for (int i = 0; i < target.size(); i++) {
				final NDArray src = loaded.get(i).getValue().getArray();
				src.copyTo(target.get(i).getValue().getArray());
			}
		}
	}

	private static void read(final Block block, final NDManager manager, final Path file) throws IOException {
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
			final DataInputStream dis = new DataInputStream(in);
			final String magic;
			try {
				magic = dis.readUTF();
			}
			catch (final IOException e) {
				throw notWeights(file, "it does not start with the header '" + MAGIC + "'", e);
			}
			if (!MAGIC.equals(magic)) throw notWeights(file, "it does not start with the header '" + MAGIC + "'", null);
			final int version = dis.readInt();
			if (version != VERSION)
				throw notWeights(file, "format version " + version + " is not supported (expected " + VERSION + ")", null);
			try {
				block.loadParameters(manager, dis);
			}
			catch (final MalformedModelException | RuntimeException e) {
				throw notWeights(file, "its parameters do not match this model's layout (" + e.getMessage() + ")", e);
			}
			catch (final IOException e) {
				throw notWeights(file, "it is truncated or unreadable (" + e + ")", e);
			}
			if (dis.read() != -1) throw notWeights(file, "it has trailing bytes after the parameters", null);
		}
		catch (final NoSuchFileException e) {
			throw new InvalidInputException(file + ": weights file not found", e);
		}
	}

	private static InvalidInputException notWeights(final Path file, final String why, final Throwable cause) {
		return new InvalidInputException(file + ": not a UNet3+ weights file for this model: " + why, cause);
	}
}
