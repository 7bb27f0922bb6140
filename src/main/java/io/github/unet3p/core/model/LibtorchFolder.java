package io.github.unet3p.core.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a libtorch folder says about itself: the PyTorch version and flavour it was built as. */
final class LibtorchFolder {

	private static final Pattern DJL_FOLDER = Pattern.compile("(\\d+\\.\\d+\\.\\d+)-((?:cpu|cu\\d+)(?:-precxx11)?)-([a-z]+-[a-z0-9_]+)");
	private static final Pattern TORCH_VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:[a-z0-9.]*)?(?:\\+(cpu|cu\\d+))?");
	private static final Pattern PY_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
	private static final Pattern PY_CUDA = Pattern.compile("(?m)^cuda(?:\\s*:\\s*[^=]+)?\\s*=\\s*(?:['\"](\\d+)\\.(\\d+)['\"]|None)");

	private LibtorchFolder() {}

	/**
	 * The PyTorch version and flavour a libtorch folder records, each null when unknown: a pip
	 * torch's {@code ../version.py}, a libtorch download's {@code ../build-version}, or DJL's cache
	 * folder name {@code <version>-<flavour>-<os>-<arch>}.
	 */
	static String[] detect(final Path dir) {
		final Path parent = dir.getParent();
		try {
			if (parent != null && Files.isRegularFile(parent.resolve("version.py"))) {
				final String py = Files.readString(parent.resolve("version.py"), StandardCharsets.UTF_8);
				final Matcher v = PY_VERSION.matcher(py);
				if (v.find()) {
					final Matcher t = TORCH_VERSION.matcher(v.group(1));
					String flavor = null;
					if (t.matches()) flavor = t.group(2);
					final Matcher c = PY_CUDA.matcher(py);
					if (flavor == null && c.find()) flavor = c.group(1) == null ? "cpu" : "cu" + c.group(1) + c.group(2);
					return new String[] { t.matches() ? t.group(1) : v.group(1), flavor };
				}
			}
			if (parent != null && Files.isRegularFile(parent.resolve("build-version"))) {
				final String text = Files.readString(parent.resolve("build-version"), StandardCharsets.UTF_8).trim();
				final Matcher t = TORCH_VERSION.matcher(text);
				if (t.matches()) return new String[] { t.group(1), t.group(2) };
				return new String[] { text, null };
			}
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
		final Matcher m = DJL_FOLDER.matcher(dir.getFileName() == null ? "" : dir.getFileName().toString());
		if (m.matches()) return new String[] { m.group(1), m.group(2).replace("-precxx11", "") };
		return new String[] { null, null };
	}
}
