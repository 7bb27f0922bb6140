package io.github.unet3p.bench;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.ir.OnnxIr.AttributeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.GraphProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.NodeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TensorProto;

/**
 * The convolution work per image of the graph {@code UNet3+ Export} writes for a
 * {@code unet3plus/unet3plus} network (random weights), counted on the ONNX graph itself: for every
 * Conv node, output channels × input channels per group × kernel area × output pixels
 * multiply-adds. Spatial sizes are followed through MaxPool and Resize. Prints
 * {@code ONNX graph: N MAC (G GFLOP) per image}, the figure {@code src/bench/onnx_perf_table.py}
 * divides ONNX Runtime's throughput by (the network's nominal work, {@code unet3p_torch.py flops},
 * is larger: the export contracts the channels of upsampled branches before upsampling).
 *
 * <p>{@code OnnxGraphWork SIZE FILTERS}
 */
public final class OnnxGraphWork {

	private OnnxGraphWork() {}

	public static void main(final String[] args) {
		final int size = Integer.parseInt(args[0]), filters = Integer.parseInt(args[1]);
		final ModelSpec spec = ModelSpec.builder().optBackbone(Backbone.UNET3PLUS).optFilters(filters).optSize(size).build();
		final GraphProto graph;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
			net.initialize(m, 1);
			graph = OnnxExport.model(net, new ModelBundle(spec, new PreparationSpec(-200, 250, size), null), "random weights").getGraph();
		}
		final long macs = convMacs(graph, size);
		System.out.printf(Locale.ROOT, "%s: ONNX graph: %,d MAC (%.2f GFLOP) per image%n", spec, macs, 2.0 * macs / 1e9);
	}

	/** Multiply-adds of the graph's Conv nodes for one {@code size × size} image. */
	static long convMacs(final GraphProto graph, final int size) {
		final Map<String, TensorProto> initializers = new HashMap<>();
		for (final TensorProto t : graph.getInitializerList())
			initializers.put(t.getName(), t);
		final Map<String, Integer> side = new HashMap<>();
		side.put(OnnxExport.INPUT, size);
		long macs = 0;
		for (final NodeProto n : graph.getNodeList()) {
			final Integer in = side.get(n.getInput(0));
			if (in == null) continue; // NB: the CGM's scalar path (after GlobalMaxPool) has no spatial size
			int out = in;
			switch (n.getOpType()) {
				case "MaxPool" -> out = in / (int) strides(n)[0];
				case "Resize" -> out = in * (int) scales(initializers.get(n.getInput(2)))[2];
				case "GlobalMaxPool" -> out = -1;
				case "Conv" -> {
					long weights = 1;
					for (final long d : initializers.get(n.getInput(1)).getDimsList())
						weights *= d;
					macs += weights * in * in;
				}
				default -> { }
			}
			if (out > 0) side.put(n.getOutput(0), out);
		}
		return macs;
	}

	private static long[] strides(final NodeProto n) {
		for (final AttributeProto a : n.getAttributeList())
			if (a.getName().equals("strides")) return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
		throw new IllegalStateException(n.getName() + " has no strides");
	}

	/** A Resize node's scales (float32, little-endian raw data, as OnnxGraph writes them). */
	private static float[] scales(final TensorProto t) {
		final FloatBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
		final float[] f = new float[b.remaining()];
		b.get(f);
		return f;
	}
}
