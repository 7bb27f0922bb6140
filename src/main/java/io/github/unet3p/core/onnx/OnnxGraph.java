package io.github.unet3p.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

import io.github.unet3p.core.onnx.ir.OnnxIr.AttributeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.GraphProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.NodeProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.TensorProto;

/**
 * A graph under construction: nodes in topological order (the order they are added) and
 * initializers, with unique tensor names. Each operator method adds one node and returns the
 * name of its output.
 */
final class OnnxGraph {

	private final GraphProto.Builder graph = GraphProto.newBuilder();
	private final Set<String> names = new HashSet<>();

	/** The graph built so far (inputs and outputs are added by the caller). */
	GraphProto.Builder builder() {
		return graph;
	}

	/** Reserves {@code name} as a tensor name; refuses a name used twice. */
	String name(final String name) {
		if (!names.add(name)) throw new IllegalStateException("tensor name used twice: " + name);
		return name;
	}

	/** Adds a float32 initializer of {@code dims} holding {@code values} (row-major). */
	String floats(final String name, final float[] values, final long... dims) {
		long count = 1;
		for (final long d : dims)
			count *= d;
		if (count != values.length) throw new IllegalArgumentException(name + ": " + values.length + " values for dims " + java.util.Arrays.toString(dims));
		final ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		raw.asFloatBuffer().put(values);
		final TensorProto.Builder t = TensorProto.newBuilder().setName(name(name)).setDataType(TensorProto.DataType.FLOAT_VALUE)
				.setRawData(UnsafeByteOperations.unsafeWrap(raw.array()));
		for (final long d : dims)
			t.addDims(d);
		graph.addInitializer(t);
		return name;
	}

	/** Adds one node of {@code op} reading {@code inputs} ("" = an omitted optional input), writing {@code output}. */
	String node(final String op, final String output, final List<String> inputs, final AttributeProto... attributes) {
		final NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(name(output)).addAllInput(inputs);
		for (final AttributeProto a : attributes)
			n.addAttribute(a);
		graph.addNode(n);
		return output;
	}

	// ---- operators (ONNX opset 13 semantics) --------------------------------------------------------

	/** Conv with bias, stride 1, "same" padding for an odd square kernel. */
	String conv(final String output, final String x, final String weight, final String bias, final int kernel) {
		return conv(output, List.of(x, weight, bias), kernel, 1);
	}

	/** Conv without bias in {@code groups} groups, stride 1, "same" padding for an odd square kernel. */
	String conv(final String output, final String x, final String weight, final int kernel, final int groups) {
		return conv(output, List.of(x, weight), kernel, groups);
	}

	private String conv(final String output, final List<String> inputs, final int kernel, final int groups) {
		final int pad = kernel / 2;
		return node("Conv", output, inputs, ints("kernel_shape", kernel, kernel), ints("pads", pad, pad, pad, pad), ints("strides", 1, 1),
				ints("dilations", 1, 1), integer("group", groups));
	}

	/** BatchNormalization in inference form (moving statistics). */
	String batchNorm(final String output, final String x, final String gamma, final String beta, final String mean, final String variance,
			final float epsilon) {
		return node("BatchNormalization", output, List.of(x, gamma, beta, mean, variance), real("epsilon", epsilon));
	}

	String relu(final String output, final String x) {
		return node("Relu", output, List.of(x));
	}

	/** Max pooling with a {@code k × k} window and stride {@code k}, no padding. */
	String maxPool(final String output, final String x, final int k) {
		return node("MaxPool", output, List.of(x), ints("kernel_shape", k, k), ints("strides", k, k));
	}

	/** Bilinear upsampling by {@code factor} with half-pixel centres (TensorFlow's and PyTorch's {@code align_corners=False}). */
	String upsample(final String output, final String x, final int factor) {
		final String scales = floats(output + ".scales", new float[] { 1, 1, factor, factor }, 4);
		return node("Resize", output, List.of(x, "", scales), text("mode", "linear"), text("coordinate_transformation_mode", "half_pixel"));
	}

	String concat(final String output, final List<String> xs, final int axis) {
		return node("Concat", output, xs, integer("axis", axis));
	}

	String softmax(final String output, final String x, final int axis) {
		return node("Softmax", output, List.of(x), integer("axis", axis));
	}

	String sigmoid(final String output, final String x) {
		return node("Sigmoid", output, List.of(x));
	}

	String globalMaxPool(final String output, final String x) {
		return node("GlobalMaxPool", output, List.of(x));
	}

	/** Index of the first largest value along {@code axis}, kept as an axis of length 1 (int64). */
	String argMax(final String output, final String x, final int axis) {
		return node("ArgMax", output, List.of(x), integer("axis", axis), integer("keepdims", 1), integer("select_last_index", 0));
	}

	String castToFloat(final String output, final String x) {
		return node("Cast", output, List.of(x), integer("to", TensorProto.DataType.FLOAT_VALUE));
	}

	String add(final String output, final String a, final String b) {
		return node("Add", output, List.of(a, b));
	}

	String mul(final String output, final String a, final String b) {
		return node("Mul", output, List.of(a, b));
	}

	// ---- attributes -----------------------------------------------------------------------------------

	static AttributeProto ints(final String name, final long... values) {
		final AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
		for (final long v : values)
			a.addInts(v);
		return a.build();
	}

	static AttributeProto integer(final String name, final long value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
	}

	static AttributeProto real(final String name, final float value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
	}

	static AttributeProto text(final String name, final String value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build();
	}

	/** Every node's op type, in order (for tests and summaries). */
	List<String> opTypes() {
		final List<String> ops = new ArrayList<>();
		for (final NodeProto n : graph.getNodeList())
			ops.add(n.getOpType());
		return ops;
	}
}
