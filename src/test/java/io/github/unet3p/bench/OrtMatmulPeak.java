package io.github.unet3p.bench;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.unet3p.core.onnx.ir.OnnxIr.GraphProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.ModelProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.NodeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.OperatorSetIdProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TensorProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TensorShapeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TypeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.ValueInfoProto;

/**
 * This CPU's practical fp32 ceiling through ONNX Runtime: a one-node ONNX graph
 * ({@code MatMul} of two {@code n × n} inputs) run {@code repeats} times in a session configured as
 * {@code engine=onnxruntime} configures it; the best single run counted as {@code 2·n³} operations.
 *
 * <p>{@code OrtMatmulPeak [n [repeats]]}, default 2048 10; one untimed run first.
 */
public final class OrtMatmulPeak {

	private OrtMatmulPeak() {}

	public static void main(final String[] args) throws OrtException {
		final int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
		final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		final int threads = Runtime.getRuntime().availableProcessors();
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			options.setIntraOpNumThreads(threads);
			try (OrtSession session = env.createSession(model(n).toByteArray(), options);
					OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(random(n * n, 1)), new long[] { n, n });
					OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(random(n * n, 2)), new long[] { n, n })) {
				final Map<String, OnnxTensor> inputs = Map.of("a", a, "b", b);
				session.run(inputs).close();
				final double[] seconds = new double[repeats];
				for (int i = 0; i < repeats; i++) {
					final long t0 = System.nanoTime();
					session.run(inputs).close();
					seconds[i] = (System.nanoTime() - t0) / 1e9;
				}
				System.out.println(PeakReport.line("ONNX Runtime " + env.getVersion() + " matmul", n, threads, seconds));
			}
		}
	}

	private static float[] random(final int count, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] v = new float[count];
		for (int i = 0; i < count; i++)
			v[i] = (float) r.nextDouble();
		return v;
	}

	private static ModelProto model(final int n) {
		final TensorShapeProto.Dimension d = TensorShapeProto.Dimension.newBuilder().setDimValue(n).build();
		final TypeProto type = TypeProto.newBuilder()
				.setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder().addDim(d).addDim(d)))
				.build();
		final GraphProto graph = GraphProto.newBuilder().setName("matmul").addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("a").addInput("b").addOutput("c"))
				.addInput(ValueInfoProto.newBuilder().setName("a").setType(type)).addInput(ValueInfoProto.newBuilder().setName("b").setType(type))
				.addOutput(ValueInfoProto.newBuilder().setName("c").setType(type)).build();
		return ModelProto.newBuilder().setIrVersion(7).setGraph(graph).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build();
	}
}
