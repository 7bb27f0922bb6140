package io.github.unet3p.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.infer.OrtProbabilityModel;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.onnx.ir.OnnxIr.ModelProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.NodeProto;

/**
 * Every variant × encoder exports, and ONNX Runtime reproduces the PyTorch engine's inference
 * probabilities of the same weights (random BatchNorm statistics included) to 1e-4.
 */
class OnnxExportTest {

	static Stream<Arguments> architectures() {
		final List<Arguments> list = new ArrayList<>();
		for (final Variant v : Variant.values())
			for (final Backbone b : Backbone.values())
				list.add(Arguments.of(v, b));
		return list.stream();
	}

	@ParameterizedTest(name = "{0} / {1}")
	@MethodSource("architectures")
	void onnxRuntimeReproducesPyTorch(final Variant variant, final Backbone backbone) {
		if (variant.hasClassificationGuide()) {
			// both CGM gates: "foreground" (the decoder's output passes) and "no foreground" (all 0.5)
			compare(variant, backbone, 1);
			compare(variant, backbone, 0);
		}
		else compare(variant, backbone, -1);
	}

	/** With {@code gate} 0 or 1, the CGM's convolution bias is set so that its argmax is {@code gate} for every input. */
	private static void compare(final Variant variant, final Backbone backbone, final int gate) {
		final int classes = variant.hasClassificationGuide() ? 1 : 3;
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(3).optClasses(classes).optSize(32).build();
		final ModelBundle bundle = new ModelBundle(spec, new PreparationSpec(-100, 200, 32), null);
		final int batch = 3;
		final float[] x = OnnxParity.input(batch, 32, 11);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = OnnxParity.network(spec, m, 7);
			if (gate >= 0) OnnxParity.forceGate(net, gate);
			final float[] torch = OnnxParity.torch(net, m, x, batch);
			final ModelProto model = OnnxExport.model(net, bundle, "0".repeat(64));
			assertEquals(OnnxExport.OPSET, model.getOpsetImport(0).getVersion());
			assertEquals(OnnxExport.IR_VERSION, model.getIrVersion());
			final List<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
			assertEquals((backbone == Backbone.UNET3PLUS ? 10 : 0) + 4 * 6, ops.stream().filter("BatchNormalization"::equals).count(), "BatchNorms");
			assertEquals(variant.hasClassificationGuide(), ops.contains("ArgMax"));
			assertUpsamplingFollowsContraction(model.getGraph().getNodeList());
			final Map<String, String> meta = OnnxModelFile.parse(Path.of("test.onnx"), model.toByteArray()).metadata();
			assertEquals(variant.key(), meta.get("unet3p.variant"));
			assertEquals(backbone.key(), meta.get("unet3p.backbone"));
			assertEquals("-100.0", meta.get("unet3p.hu_min"));
			assertEquals("k-1,k,k+1", meta.get("unet3p.channels"));
			try (OrtProbabilityModel ort = OrtProbabilityModel.of(model.toByteArray(), bundle, Path.of("test.onnx"))) {
				final float[] onnx = ort.predict(x, batch);
				final double diff = OnnxParity.maxAbs(torch, onnx);
				assertTrue(diff <= 1e-4, variant + "/" + backbone + ": max |ONNX Runtime − PyTorch| = " + diff);
				double spread = 0;
				for (final float v : onnx)
					spread = Math.max(spread, Math.abs(v - onnx[0]));
				if (gate == 0) assertEquals(0.5, onnx[0], 1e-7, "a closed CGM gate gives sigmoid(0) everywhere");
				// else the probabilities are not all equal (a network that ignored its input would pass the comparison)
				else assertTrue(spread > 1e-3, "output spread " + spread);
			}
		}
	}

	/**
	 * The ten upsampled decoder branches (4 + 3 + 2 + 1) resize, per kernel tap, the output of a
	 * 1×1 convolution: the channel contraction runs before the upsampling, at the low resolution.
	 */
	private static void assertUpsamplingFollowsContraction(final List<NodeProto> nodes) {
		final Map<String, NodeProto> producers = new HashMap<>();
		for (final NodeProto n : nodes)
			for (final String o : n.getOutputList())
				producers.put(o, n);
		final List<NodeProto> resizes = nodes.stream().filter(n -> n.getOpType().equals("Resize")).toList();
		assertEquals(10 * 9, resizes.size(), "Resize nodes");
		for (final NodeProto r : resizes) {
			final NodeProto source = producers.get(r.getInput(0));
			assertEquals("Conv", source.getOpType(), r.getName());
			final List<Long> kernel = source.getAttributeList().stream().filter(a -> a.getName().equals("kernel_shape")).findFirst().orElseThrow().getIntsList();
			assertEquals(List.of(1L, 1L), kernel, r.getName() + " resizes " + source.getName());
		}
	}
}
