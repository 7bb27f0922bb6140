package io.github.unet3p.core.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.BundleArchive;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.onnx.ir.OnnxIr.GraphProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.ModelProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.OperatorSetIdProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.StringStringEntryProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TensorProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TensorShapeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TypeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.ValueInfoProto;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Writes a UNet 3+ as an ONNX model: the inference form of the network (BatchNorm with its moving
 * statistics, no dropout, the output {@code d1} only, the CGM gate for the CGM variant), built from
 * the model's spec and the network's own parameters, in ONNX opset {@value #OPSET}.
 *
 * <p>The graph has one input {@value #INPUT}, float32 (N, 3, size, size) with a free batch
 * dimension {@code N}, and one output {@value #OUTPUT}, float32 (N, classes, size, size): softmax
 * class probabilities over axis 1, or one sigmoid channel for {@code classes = 1} — exactly what
 * {@code UNet3PlusNet.infer} returns. The bundle's preparation goes into {@code metadata_props}
 * ({@link OnnxMetadata}).
 *
 * <p>Operators: Conv (also depthwise), BatchNormalization, Relu, MaxPool, Resize (linear,
 * half_pixel), Add, Concat, Softmax or Sigmoid; the CGM adds GlobalMaxPool, ArgMax, Cast and Mul. Weights are float32
 * initializers in raw little-endian bytes, named after the network's blocks
 * ({@code encoder.stage1.conv1.conv.weight}, {@code d4.e1_d4.bn.gamma}, …).
 *
 * <p>The decoder's upsampled branches ({@code conv3×3(up(x))}, ten of the network's 3×3
 * convolutions) are written in an equivalent form that contracts the channels before upsampling
 * (see {@code upsampledConvBlock}): the same function up to float rounding, with 44 % fewer
 * multiply-adds for the whole network at 320 × 320, width 64 (346 instead of 618 GFLOP per image).
 * Every other block is written as the network computes it.
 *
 * <p>NB: BatchNorm is written explicitly, not folded: the file holds the trained arithmetic, and
 * ONNX Runtime folds it into the convolutions itself when it loads the graph. The
 * deep-supervision heads, which only training uses, are left out.
 */
public final class OnnxExport {

	/** The file name of the export cached in a bundle folder. */
	public static final String FILE = "model.onnx";
	/** The ONNX operator set the graph uses (default domain). */
	public static final int OPSET = 13;
	/** The ONNX IR version of opset {@value #OPSET}. */
	public static final int IR_VERSION = 7;
	/** Name of the graph input. */
	public static final String INPUT = "image";
	/** Name of the graph output. */
	public static final String OUTPUT = "probabilities";
	/** Name of the free batch dimension. */
	public static final String BATCH = "N";
	/** Keras' BatchNormalization epsilon, the one every BatchNorm of the model uses (see {@code core.model.ConvBlock}). */
	static final float BN_EPSILON = 1e-3f;
	/** The taps of a 3×3 kernel, row-major. */
	private static final int TAPS = 9;
	/** The middle tap: its shift is the identity. */
	private static final int CENTRE_TAP = 4;

	private OnnxExport() {}

	/**
	 * Exports the bundle at {@code bundle} (a folder or a {@code .zip} of one) to {@code output},
	 * atomically: a reader never sees a half-written file, and on any error nothing is written.
	 *
	 * @throws InvalidInputException naming the file when the bundle cannot be read or {@code output}
	 *             cannot be written
	 */
	public static void write(final Path bundle, final Path output) {
		final byte[] bytes;
		try (BundleArchive archive = BundleArchive.open(bundle)) {
			bytes = export(archive, archive.read());
		}
		write(bytes, output);
	}

	/** Writes {@code bytes} to {@code output} atomically (creating its folder). */
	static void write(final byte[] bytes, final Path output) {
		try {
			final Path parent = output.toAbsolutePath().getParent();
			if (parent != null) Files.createDirectories(parent);
			AtomicFiles.write(output, bytes);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot write " + output + ": " + e.getMessage(), e);
		}
	}

	/**
	 * The ONNX model of the bundle open in {@code archive}, whose spec is {@code bundle}: loads its
	 * network on the PyTorch engine (freed again before returning) and encodes it.
	 *
	 * @throws InvalidInputException when the weights are missing or do not fit the spec
	 */
	public static byte[] export(final BundleArchive archive, final ModelBundle bundle) {
		final String digest = OnnxMetadata.sha256(archive.folder().resolve(ModelBundle.WEIGHTS_FILE));
		try (NDManager manager = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = archive.loadNetwork(bundle, manager);
			return model(net, bundle, digest).toByteArray();
		}
	}

	/**
	 * The ONNX model of {@code net} (initialised), described by {@code bundle} (whose architecture
	 * must be the network's), exported from weights with SHA-256 {@code weightsSha256}.
	 *
	 * @throws IllegalArgumentException if the bundle describes another architecture than the network's
	 */
	public static ModelProto model(final UNet3PlusNet net, final ModelBundle bundle, final String weightsSha256) {
		if (!net.spec().equals(bundle.architecture()))
			throw new IllegalArgumentException("the network (" + net.spec() + ") is not the bundle's (" + bundle.architecture() + ")");
		final OnnxGraph g = new OnnxGraph();
		final String probabilities = new Writer(g, net).network();
		final ModelSpec spec = net.spec();
		final GraphProto.Builder graph = g.builder().setName("unet3plus").setDocString("UNet 3+ (" + spec + "), inference form")
				.addInput(value(INPUT, 3, spec.size())).addOutput(value(probabilities, spec.classes(), spec.size()));
		final ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("UNet3+ for Fiji")
				.setProducerVersion(ModelBundle.version()).setDomain("io.github.unet3p").setModelVersion(1).setDocString(doc(bundle)).setGraph(graph)
				.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
		for (final Map.Entry<String, String> e : OnnxMetadata.of(bundle, weightsSha256).entrySet())
			m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
		return m.build();
	}

	private static String doc(final ModelBundle bundle) {
		return "UNet 3+ liver CT segmentation exported by UNet3+ for Fiji. " + bundle.architecture() + ". Input '" + INPUT
				+ "': NCHW float32, three consecutive axial CT slices (k-1, k, k+1) prepared as metadata_props describe. Output '" + OUTPUT
				+ "': class probabilities.";
	}

	/** A float32 tensor value (N, channels, size, size) with a free batch dimension. */
	private static ValueInfoProto value(final String name, final int channels, final int size) {
		final TensorShapeProto shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
				.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels)).addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size))
				.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size)).build();
		return ValueInfoProto.newBuilder().setName(name)
				.setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
				.build();
	}

	/**
	 * Writes the nodes of one network, following {@code UNet3PlusBlock}'s inference pass: the
	 * parameters are found by the blocks' names (DJL's child names without their order prefix).
	 */
	private static final class Writer {

		private final OnnxGraph g;
		private final Block root;
		private final ModelSpec spec;

		Writer(final OnnxGraph g, final UNet3PlusNet net) {
			this.g = g;
			this.root = net.block();
			this.spec = net.spec();
		}

		/** Writes the whole network; returns the output's name. */
		String network() {
			final String[] e = encoder(child(root, "encoder"));
			String gate = null;
			if (spec.variant().hasClassificationGuide()) gate = classificationGuide(child(root, "cgm"), e[4]);
			final String[] d = new String[5];
			for (int level = 4; level >= 1; level--) {
				final String[] sources = new String[5];
				for (int j = 1; j <= 5; j++)
					sources[j - 1] = j <= level || j == 5 ? e[j - 1] : d[j];
				d[level] = stage(child(root, "d" + level), "d" + level, level, sources);
			}
			String logits = convBlock(child(root, "output"), "output", d[1], 3, false);
			if (gate != null) logits = g.mul("output.gated", logits, gate);
			return spec.classes() == 1 ? g.sigmoid(OUTPUT, logits) : g.softmax(OUTPUT, logits, 1);
		}

		/** The five taps e1…e5. */
		private String[] encoder(final Block encoder) {
			final Backbone b = spec.backbone();
			final String[] taps = new String[5];
			String x = INPUT;
			for (int s = 1; s <= 5; s++) {
				final String stage = "encoder.stage" + s;
				if (s > 1) x = g.maxPool(stage + ".pool", x, 2);
				final List<Block> convs = convBlocks(child(encoder, "stage" + s));
				if (convs.size() != b.convsInStage(s))
					throw new IllegalStateException(stage + " has " + convs.size() + " convolutions; " + b + " has " + b.convsInStage(s));
				for (int c = 0; c < convs.size(); c++)
					x = convBlock(convs.get(c), stage + ".conv" + (c + 1), x, 3, true);
				taps[s - 1] = x;
			}
			return taps;
		}

		/** The CGM gate (N, 1, 1, 1): argmax of sigmoid(global max pool(1×1 conv(e5))), as 0/1. */
		private String classificationGuide(final Block cgm, final String e5) {
			final String conv = convBlock(child(cgm, "conv"), "cgm.conv", e5, 1, false);
			final String pooled = g.globalMaxPool("cgm.pool", conv);
			final String probabilities = g.sigmoid("cgm.probabilities", pooled);
			return g.castToFloat("cgm.gate", g.argMax("cgm.argmax", probabilities, 1));
		}

		/** One full-scale decoder stage: five resampled branches, concatenated and fused. */
		private String stage(final Block stage, final String name, final int level, final String[] sources) {
			final List<String> branches = new ArrayList<>(5);
			for (int j = 1; j <= 5; j++) {
				final String branch = (j <= level || j == 5 ? "e" : "d") + j + "_d" + level;
				String x = sources[j - 1];
				if (j < level) x = g.maxPool(name + "." + branch + ".pool", x, 1 << (level - j));
				if (j > level) branches.add(upsampledConvBlock(child(stage, branch), name + "." + branch, x, 1 << (j - level)));
				else branches.add(convBlock(child(stage, branch), name + "." + branch, x, 3, true));
			}
			return convBlock(child(stage, "fuse"), name + ".fuse", g.concat(name + ".cat", branches, 1), 3, true);
		}

		/**
		 * One convolution block: Conv (with bias), then BatchNorm if the block has one, then ReLU
		 * if {@code relu}.
		 */
		private String convBlock(final Block block, final String name, final String x, final int kernel, final boolean relu) {
			final Block conv = child(block, "conv");
			final float[] w = array(conv, "weight");
			final float[] bias = array(conv, "bias");
			final int out = bias.length;
			final int in = inputChannels(name, w, out, kernel);
			final String y = g.conv(name + ".conv", x, g.floats(name + ".conv.weight", w, out, in, kernel, kernel), g.floats(name + ".conv.bias", bias, out), kernel);
			return batchNormAndRelu(block, name, y, out, relu);
		}

		/**
		 * A 3×3 convolution block applied to {@code x} upsampled by {@code factor}, written so that
		 * the channel contraction runs at the low resolution: bilinear upsampling acts on every
		 * channel alike and is linear, so {@code conv3×3(up(x)) = Σ_t shift_t(up(T_t))} with
		 * {@code T_t = Σ_c W[·, c, t] x_c} the 1×1 convolution of kernel tap {@code t}. Per tap: a
		 * 1×1 Conv (in → out, at the low resolution), Resize, and a depthwise 3×3 Conv whose kernels
		 * hold a single one at the tap's position (the shift, with the original's zero padding; the
		 * centre tap needs none and carries the bias); the nine are summed by Add. Then BatchNorm and
		 * ReLU. The same function as the upsample-then-convolve form up to float rounding, with
		 * {@code factor²} fewer multiply-adds in the contraction; the taps one at a time keep every
		 * full-resolution tensor at the block's width.
		 */
		private String upsampledConvBlock(final Block block, final String name, final String x, final int factor) {
			final Block conv = child(block, "conv");
			final float[] w = array(conv, "weight");
			final float[] bias = array(conv, "bias");
			final int out = bias.length;
			final int in = inputChannels(name, w, out, 3);
			String sum = null;
			for (int t = 0; t < TAPS; t++) {
				final float[] contraction = new float[out * in];
				final float[] pick = new float[out * TAPS];
				for (int o = 0; o < out; o++) {
					for (int c = 0; c < in; c++)
						contraction[o * in + c] = w[(o * in + c) * TAPS + t];
					pick[o * TAPS + t] = 1;
				}
				final String tap = name + ".tap" + t;
				final String weight = g.floats(tap + ".weight", contraction, out, in, 1, 1);
				String y = t == CENTRE_TAP ? g.conv(tap, x, weight, g.floats(name + ".conv.bias", bias, out), 1) : g.conv(tap, x, weight, 1, 1);
				y = g.upsample(tap + ".up", y, factor);
				if (t != CENTRE_TAP) y = g.conv(tap + ".shift", y, g.floats(tap + ".shift.weight", pick, out, 1, 3, 3), 3, out);
				sum = sum == null ? y : g.add(t == TAPS - 1 ? name + ".conv" : tap + ".sum", sum, y);
			}
			return batchNormAndRelu(block, name, sum, out, true);
		}

		private static int inputChannels(final String name, final float[] w, final int out, final int kernel) {
			final int in = w.length / (out * kernel * kernel);
			if ((long) in * out * kernel * kernel != w.length) throw new IllegalStateException(name + ": kernel of " + w.length + " values is not " + kernel + "×" + kernel);
			return in;
		}

		/** BatchNorm if the block has one, then ReLU if {@code relu}. */
		private String batchNormAndRelu(final Block block, final String name, final String conv, final int out, final boolean relu) {
			String y = conv;
			final Block bn = optionalChild(block, "bn");
			if (bn != null) y = g.batchNorm(name + ".bn", y, g.floats(name + ".bn.gamma", array(bn, "gamma"), out), g.floats(name + ".bn.beta", array(bn, "beta"), out),
					g.floats(name + ".bn.moving_mean", array(bn, "runningMean"), out), g.floats(name + ".bn.moving_variance", array(bn, "runningVar"), out),
					BN_EPSILON);
			return relu ? g.relu(name + ".relu", y) : y;
		}

		/** The convolution blocks of an encoder stage, in order (the pooling layer has no "conv" child). */
		private static List<Block> convBlocks(final Block stage) {
			final List<Block> list = new ArrayList<>();
			for (final Pair<String, Block> c : stage.getChildren())
				if (optionalChild(c.getValue(), "conv") != null) list.add(c.getValue());
			return list;
		}

		private static float[] array(final Block block, final String parameter) {
			final Parameter p = block.getDirectParameters().get(parameter);
			if (p == null || !p.isInitialized()) throw new IllegalStateException("no initialised parameter '" + parameter + "' in " + block);
			return p.getArray().toFloatArray();
		}

		private static Block child(final Block parent, final String name) {
			final Block b = optionalChild(parent, name);
			if (b == null) throw new IllegalStateException("no block '" + name + "' in " + parent.getClass().getSimpleName() + " " + parent.getChildren().keys());
			return b;
		}

		/** The child whose DJL name is {@code name} after the two-digit order prefix DJL adds, or null. */
		private static Block optionalChild(final Block parent, final String name) {
			for (final Pair<String, Block> c : parent.getChildren())
				if (c.getKey().replaceFirst("^\\d+", "").equals(name)) return c.getValue();
			return null;
		}
	}
}
