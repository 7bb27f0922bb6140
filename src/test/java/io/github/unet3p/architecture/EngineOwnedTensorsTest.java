package io.github.unet3p.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No tensor that autograd may keep lives in JVM memory: the network ({@code core.model}) and the
 * training code ({@code core.train}) call none of DJL's {@code NDArray} methods that take a
 * {@code Number} (they make the scalar over a JVM direct buffer and free it right after) and make
 * no array from Java data with {@code NDManager.create} — except {@code EngineArrays} and
 * {@code Scalars}, which copy such data into PyTorch-owned memory at once. Checked on the
 * compiled classes, so no call site escapes.
 */
class EngineOwnedTensorsTest {

	private static final List<String> PACKAGES = List.of("core/model", "core/train");
	/** The two classes that turn Java data into PyTorch-owned tensors. */
	private static final Set<String> COPIERS = Set.of("io/github/unet3p/core/model/EngineArrays.class", "io/github/unet3p/core/model/Scalars.class");

	@Test
	void trainingPathMakesNoTensorOverJvmMemory() throws IOException {
		final Path classes = Path.of("target/classes/io/github/unet3p");
		final List<String> offences = new ArrayList<>();
		for (final String pkg : PACKAGES)
			try (Stream<Path> files = Files.walk(classes.resolve(pkg))) {
				for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
					if (COPIERS.contains("io/github/unet3p/" + classes.relativize(f).toString().replace('\\', '/'))) continue;
					for (final ClassFiles.MethodRef m : ClassFiles.read(f).methods())
						if (jvmMemoryTensor(m)) offences.add(classes.relativize(f) + " calls " + m);
				}
			}
		assertTrue(offences.isEmpty(), "use core.model.Scalars / EngineArrays instead:\n" + String.join("\n", offences));
	}

	@Test
	void theCheckRecognisesTheCallsItForbids() throws IOException {
		final Path scalars = Path.of("target/classes/io/github/unet3p/core/model/Scalars.class");
		assertTrue(ClassFiles.read(scalars).methods().stream().anyMatch(EngineOwnedTensorsTest::jvmMemoryTensor),
			"Scalars itself calls NDManager.create(Number): the scan must see it");
		assertFalse(jvmMemoryTensor(new ClassFiles.MethodRef("ai/djl/ndarray/NDArray", "add", "(Lai/djl/ndarray/NDArray;)Lai/djl/ndarray/NDArray;")));
		assertTrue(jvmMemoryTensor(new ClassFiles.MethodRef("ai/djl/ndarray/NDArray", "mul", "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;")));
		assertTrue(jvmMemoryTensor(new ClassFiles.MethodRef("ai/djl/ndarray/NDManager", "create", "([FLai/djl/ndarray/types/Shape;)Lai/djl/ndarray/NDArray;")));
		assertFalse(jvmMemoryTensor(new ClassFiles.MethodRef("ai/djl/ndarray/NDManager", "create", "(Lai/djl/ndarray/types/Shape;)Lai/djl/ndarray/NDArray;")));
	}

	/** A DJL array operation with a Java number, or an array made from Java data (numbers, arrays, buffers). */
	static boolean jvmMemoryTensor(final ClassFiles.MethodRef m) {
		if (!m.owner().startsWith("ai/djl/")) return false;
		final String params = m.descriptor().substring(1, m.descriptor().indexOf(')'));
		// NB: clip(Number, Number) hands both numbers to PyTorch as native scalars (JniUtils.clip); no tensor is made.
		if (m.owner().endsWith("NDArray") || m.owner().endsWith("NDArrays") || m.owner().endsWith("NDArrayEx"))
			return params.contains("Ljava/lang/Number;") && !m.name().equals("clip");
		if (m.owner().endsWith("NDManager") && m.name().equals("create"))
			return !params.equals("Lai/djl/ndarray/types/Shape;") && !params.startsWith("Lai/djl/ndarray/types/Shape;Lai/djl/ndarray/types/DataType;");
		return false;
	}
}
