package io.github.unet3p.core.bioimageio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link PackageChecker}'s rules for a tensor's axes and its test tensor. */
final class TensorAxes {

	/** JDLL's DecodeNumpy.HEADER_PATTERN, verbatim. */
	static final Pattern JDLL_HEADER = Pattern.compile("\\{'descr': '(.+)', 'fortran_order': (True|False), 'shape': \\((.+?)\\)(?:\\s*,\\s*|\\s*)\\}");

	private final BiConsumer<String, String> problem;
	private final String field;

	TensorAxes(final BiConsumer<String, String> problem, final String field) {
		this.problem = problem;
		this.field = field + ".axes";
	}

	/** Checks the axes; the fixed size of each axis ({@code null} for the batch and free sizes). */
	List<Object> check(final Object v) {
		final List<Object> sizes = new ArrayList<>();
		if (!(v instanceof List<?> l) || l.isEmpty()) {
			problem.accept(field, "a non-empty list");
			return sizes;
		}
		final Set<Object> ids = new HashSet<>();
		int batches = 0;
		for (int i = 0; i < l.size(); i++) {
			final String f = field + "[" + i + "]";
			if (!(l.get(i) instanceof Map<?, ?> a) || !PackageChecker.has(PackageChecker.AXIS_TYPES, a.get("type"))) {
				problem.accept(f + ".type", "not one of " + PackageChecker.AXIS_TYPES);
				sizes.add(null);
				continue;
			}
			final String type = (String) a.get("type");
			final Object id = a.containsKey("id") ? a.get("id") : type.equals("space") ? null : type;
			if (id == null) problem.accept(f + ".id", "a space axis needs an explicit id (JDLL refuses it otherwise)");
			else if (!(id instanceof String s) || !PackageChecker.LOWER_ID.matcher(s).matches() || s.length() > 16) problem.accept(f + ".id", "a lower-case identifier, is " + id);
			else if (!ids.add(id)) problem.accept(f + ".id", "duplicate axis id " + id);
			switch (type) {
				case "batch" -> {
					batches++;
					if (a.get("size") != null && !Integer.valueOf(1).equals(a.get("size"))) problem.accept(f + ".size", "a batch axis' size is absent or 1");
					if (id != null && !"batch".equals(id)) problem.accept(f + ".id", "a batch axis' id is 'batch'");
					sizes.add(null);
				}
				case "channel" -> {
					if (!(a.get("channel_names") instanceof List<?> names) || names.isEmpty()
							|| names.stream().anyMatch(n -> !(n instanceof String s && PackageChecker.IDENTIFIER.matcher(s).matches()))) {
						problem.accept(f + ".channel_names", "a non-empty list of identifiers");
						sizes.add(null);
					}
					else sizes.add(names.size());
					if ("batch".equals(id)) problem.accept(f + ".id", "only the batch axis may be called batch");
				}
				default -> sizes.add(size(f + ".size", a.get("size")));
			}
		}
		if (batches > 1) problem.accept(field, "more than one batch axis");
		return sizes;
	}

	private Integer size(final String f, final Object s) {
		if (s instanceof Integer i) {
			if (i < 1) problem.accept(f, "must be at least 1");
			return i;
		}
		if (s instanceof Map<?, ?> m && (m.get("min") instanceof Integer && m.get("step") instanceof Integer || m.get("tensor_id") instanceof String && m.get("axis_id") instanceof String))
			return null;
		problem.accept(f, "an integer, {min, step} or {tensor_id, axis_id}, is " + s);
		return null;
	}

	/** Checks {@code npy}: JDLL's header, float32 C order, the axes' number and fixed sizes. */
	static void checkNpy(final BiConsumer<String, String> problem, final String field, final Path npy, final List<Object> sizes, final String dtype) {
		final byte[] bytes;
		try {
			bytes = Files.readAllBytes(npy);
		}
		catch (final IOException e) {
			problem.accept(field, "cannot read " + npy.getFileName());
			return;
		}
		if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N') {
			problem.accept(field, npy.getFileName() + " is not a .npy file");
			return;
		}
		final int length = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
		final String header = new String(bytes, 10, Math.min(length, bytes.length - 10), StandardCharsets.US_ASCII);
		final Matcher m = JDLL_HEADER.matcher(header);
		if (!m.find()) {
			problem.accept(field, "header is not the one JDLL reads: " + header.trim());
			return;
		}
		try {
			NpyFile.read(bytes, npy.getFileName().toString());
		}
		catch (final RuntimeException e) {
			problem.accept(field, e.getMessage());
			return;
		}
		if ("float32".equals(dtype) && !m.group(1).equals("<f4")) problem.accept(field, "descr " + m.group(1) + " but data.type is float32");
		final long[] shape = Arrays.stream(m.group(3).split(", ?")).filter(s -> !s.isBlank()).mapToLong(Long::parseLong).toArray();
		if (shape.length != sizes.size()) {
			problem.accept(field, "shape " + Arrays.toString(shape) + " has " + shape.length + " axes, the tensor " + sizes.size());
			return;
		}
		for (int i = 0; i < shape.length; i++)
			if (sizes.get(i) != null && ((Integer) sizes.get(i)) != shape[i]) problem.accept(field, "shape " + Arrays.toString(shape) + " does not fit axis " + i + " (size " + sizes.get(i) + ")");
	}
}
