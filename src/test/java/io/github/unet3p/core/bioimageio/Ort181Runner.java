package io.github.unet3p.core.bioimageio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Runs a package's ONNX weights on whatever ONNX Runtime is on the class path, as a bioimage.io
 * consumer does: reads the raw test input ({@code .npy}), applies the declared {@code scale_linear}
 * gain in float32, repeats the image {@code batch} times, runs, and writes the output values
 * (float32, little-endian, no header) to a file. Prints the jar ONNX Runtime was loaded from.
 *
 * <p>NB: uses only the JDK and ONNX Runtime's Java API, so it runs in a JVM whose class path is
 * the ONNX Runtime 1.8.1 jar and the test classes, never beside the product's ONNX Runtime.
 *
 * <p>Arguments: {@code model.onnx input.npy gain batch output.raw}.
 */
public final class Ort181Runner {

	private Ort181Runner() {}

	public static void main(final String[] args) throws Exception {
		final byte[] npy = Files.readAllBytes(Path.of(args[1]));
		final float gain = Float.parseFloat(args[2]);
		final int batch = Integer.parseInt(args[3]);
		final int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
		final String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
		final String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')'));
		final long[] shape = Arrays.stream(dims.split(", ?")).filter(s -> !s.isBlank()).mapToLong(Long::parseLong).toArray();
		final FloatBuffer raw = ByteBuffer.wrap(npy, 10 + headerLength, npy.length - 10 - headerLength).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
		final int n = raw.remaining();
		final float[] x = new float[n * batch];
		for (int i = 0; i < n; i++)
			x[i] = raw.get(i) * gain;
		for (int b = 1; b < batch; b++)
			System.arraycopy(x, 0, x, b * n, n);
		shape[0] = batch;
		System.out.println("onnxruntime jar: " + OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation());
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession session = env.createSession(Files.readAllBytes(Path.of(args[0])), new OrtSession.SessionOptions());
				OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
				OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
			final FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
			final ByteBuffer bytes = ByteBuffer.allocate(4 * out.remaining()).order(ByteOrder.LITTLE_ENDIAN);
			bytes.asFloatBuffer().put(out);
			Files.write(Path.of(args[4]), bytes.array());
		}
	}
}
